using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApiTokens.Tests.Commands;

/// <summary>
/// The <c>tokens</c> command over the shared DI-only services (in-memory store, seeded accounts, light hasher, fake clock),
/// behind a minimal <see cref="IHost"/> that is never started, as an app's host is when Program.cs runs the command.
/// </summary>
internal sealed class CommandHarness : IAsyncDisposable
{
    private readonly ApiTokensTestServices _services;

    public CommandHarness(Action<ApiTokensTestHostBuilder>? configure = null)
    {
        var builder = new ApiTokensTestHostBuilder().SeedAccounts(a =>
        {
            a.Add("root", "all");
            a.Add("reseller", "list-accts", "manage-api-tokens");
            a.Set(new ApiTokenAccount("suspended-id", "suspended", isSuspended: true, ["list-accts"]));
        });
        configure?.Invoke(builder);
        _services = builder.BuildServices();
    }

    public IServiceProvider Services => _services.Services;

    public ApiTokenManager Manager => _services.Manager;

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => _services.Time;

    public ApiTokenAccount Account(string userName) =>
        _services.Accounts.FindByUserNameAsync(userName, CancellationToken.None).AsTask().Result!;

    public async Task<CommandRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await new ServicesOnlyHost(_services.Services).RunApiTokensCommandsAsync(args, stdout, stderr);
        return new CommandRun(code, stdout.ToString(), stderr.ToString());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class ServicesOnlyHost(IServiceProvider services) : IHost
    {
        public IServiceProvider Services { get; } = services;

        public Task StartAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException("The command must not start the host.");

        public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}

/// <summary>What a script sees: the exit code (null: not a tokens command) and both streams.</summary>
internal sealed record CommandRun(int? ExitCode, string StdOut, string StdErr)
{
    public string[] Lines => StdOut.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    public string LastLine => Lines[^1];

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
