using ApiTokens;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The <c>tokens</c> command line (<c>tokens create|list|revoke|rotate|audit|privileges|import-whm|convert-accesshash</c>), run inside the app's own host so it uses the app's store,
/// accounts and configuration: what an administrator runs on the server to make the first token.
/// </summary>
public static class ApiTokensCommandsHostExtensions
{
    /// <summary>
    /// Runs the <c>tokens</c> command when <paramref name="args"/> start with <c>tokens</c>, writing to the console; otherwise does
    /// nothing. Call it after the host is built and before it runs:
    /// <code>
    /// if (await app.RunApiTokensCommandsAsync(args) is int exitCode) return exitCode;
    /// app.Run();
    /// </code>
    /// </summary>
    /// <param name="host">The built (not started) host; its services must include <c>AddApiTokens()</c> with a store and an account provider.</param>
    /// <param name="args">The process's arguments. Host configuration after the command must use the <c>--Key=value</c> form.</param>
    /// <returns>
    /// <see langword="null"/> when <paramref name="args"/> do not start with <c>tokens</c> (run the app as usual); otherwise the
    /// exit code: 0 done, 1 refused (the reason is on standard error), 2 usage error.
    /// </returns>
    /// <remarks>
    /// <c>tokens create</c> and <c>tokens rotate</c> print the token alone on the last line of standard output. Log lines go wherever the host's logging
    /// sends them: send the console logger to standard error for this run
    /// (<c>builder.Logging.AddConsole(o =&gt; o.LogToStandardErrorThreshold = LogLevel.Trace)</c>) so standard output stays
    /// machine-readable. A command that changes existing tokens (<c>revoke</c>, <c>rotate</c>) starts the app's backplane if it has one and waits
    /// (a few seconds at most) until the change has been published; without a backplane it says on standard error how long a
    /// running server may still accept the token (<c>ApiTokens:Cache:Lifetime</c>).
    /// </remarks>
    public static Task<int?> RunApiTokensCommandsAsync(this IHost host, string[] args) =>
        host.RunApiTokensCommandsAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the <c>tokens</c> command when <paramref name="args"/> start with <c>tokens</c>, writing to
    /// <paramref name="stdout"/> and <paramref name="stderr"/> (tests capture them); otherwise does nothing.
    /// </summary>
    /// <param name="host">The built (not started) host; its services must include <c>AddApiTokens()</c> with a store and an account provider.</param>
    /// <param name="args">The process's arguments. Host configuration after the command must use the <c>--Key=value</c> form.</param>
    /// <param name="stdout">Results and help; for <c>tokens create</c>, the token alone on the last line.</param>
    /// <param name="stderr">Usage errors, refusals and notes.</param>
    /// <returns>
    /// <see langword="null"/> when <paramref name="args"/> do not start with <c>tokens</c>; otherwise the exit code: 0 done,
    /// 1 refused (the reason is on <paramref name="stderr"/>), 2 usage error.
    /// </returns>
    public static Task<int?> RunApiTokensCommandsAsync(this IHost host, string[] args, TextWriter stdout, TextWriter stderr) =>
        host.RunApiTokensCommandsAsync(args, Console.In, stdout, stderr);

    /// <summary>
    /// Runs the <c>tokens</c> command when <paramref name="args"/> start with <c>tokens</c>, reading <paramref name="stdin"/>
    /// (<c>tokens convert-accesshash</c> reads the access hash there) and writing to <paramref name="stdout"/> and
    /// <paramref name="stderr"/>; otherwise does nothing.
    /// </summary>
    /// <param name="host">The built (not started) host; its services must include <c>AddApiTokens()</c> with a store and an account provider.</param>
    /// <param name="args">The process's arguments. Host configuration after the command must use the <c>--Key=value</c> form.</param>
    /// <param name="stdin">Standard input.</param>
    /// <param name="stdout">Results and help; for <c>tokens create</c>, the token alone on the last line.</param>
    /// <param name="stderr">Usage errors, refusals and notes.</param>
    /// <returns>
    /// <see langword="null"/> when <paramref name="args"/> do not start with <c>tokens</c>; otherwise the exit code: 0 done,
    /// 1 refused (the reason is on <paramref name="stderr"/>), 2 usage error.
    /// </returns>
    public static async Task<int?> RunApiTokensCommandsAsync(this IHost host, string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!TokensCommandLine.Matches(args))
        {
            return null;
        }

        return await new TokensCommandLine(host.Services, stdin).RunAsync(args, stdout, stderr).ConfigureAwait(false);
    }
}
