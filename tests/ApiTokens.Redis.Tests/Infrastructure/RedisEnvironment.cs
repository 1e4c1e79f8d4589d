namespace ApiTokens.Redis.Tests.Infrastructure;

/// <summary>
/// Where the tests find Redis: <c>APITOKENS_REDIS</c> (host:port of a running server) and
/// <c>APITOKENS_REDIS_SERVER</c> (the redis-server binary, for tests that stop and restart their own).
/// On CI (<c>CI=true</c>) a missing one fails the test; on a developer machine it skips with the reason.
/// </summary>
public static class RedisEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The shared Redis, host:port.</summary>
    public static string SharedRedis()
    {
        var value = Environment.GetEnvironmentVariable("APITOKENS_REDIS");
        Require(!string.IsNullOrWhiteSpace(value), "APITOKENS_REDIS is not set (host:port of a running Redis, for example 127.0.0.1:6379; .ci/run sets it).");
        return value!;
    }

    /// <summary>The redis-server binary: APITOKENS_REDIS_SERVER, else redis-server on PATH.</summary>
    public static string ServerBinary()
    {
        var value = Environment.GetEnvironmentVariable("APITOKENS_REDIS_SERVER");
        if (string.IsNullOrWhiteSpace(value))
        {
            value = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "redis-server"))
                .FirstOrDefault(File.Exists);
        }

        Require(
            !string.IsNullOrWhiteSpace(value) && File.Exists(value),
            "redis-server was not found (set APITOKENS_REDIS_SERVER to its path, or install it: apt-get install redis-server).");
        return value!;
    }

    public static void Require(bool condition, string reason)
    {
        if (condition)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail("CI=true and " + reason);
        }

        Skip.If(true, reason);
    }
}
