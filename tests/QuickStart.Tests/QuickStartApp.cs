using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace QuickStart.Tests;

/// <summary>
/// The built samples/QuickStart app, run as its own process in a fresh working directory (its <c>tokens.db</c> lands there):
/// <see cref="RunCommandAsync"/> for <c>tokens …</c> commands, <see cref="StartAsync"/> for the server on a free loopback port.
/// </summary>
public sealed partial class QuickStartApp : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private readonly StringBuilder _output;

    private QuickStartApp(Process process, Uri address, StringBuilder output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    /// <summary>What the server has written so far (for a failing assertion's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Where the server listens, for example http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    private static string Dll => Metadata("QuickStartDll");

    /// <summary>Runs <c>dotnet QuickStart.dll args…</c> to its end; returns the exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCommandAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        using var timeout = new CancellationTokenSource(Patience);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the server on 127.0.0.1 with a port the system picks, and waits until it listens.</summary>
    public static async Task<QuickStartApp> StartAsync(string workingDirectory)
    {
        var process = Start(workingDirectory, ["--urls", "http://127.0.0.1:0"]);
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("QuickStart exited before it listened:\n" + output));
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new QuickStartApp(process, await listening.Task.WaitAsync(Patience), output);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Process Start(string workingDirectory, string[] args)
    {
        Assert.True(File.Exists(Dll), $"The sample was not built: {Dll} is missing.");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // As `dotnet run` in a new app: Development, no inherited URL or port settings.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        info.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Metadata(string key) =>
        typeof(QuickStartApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
