namespace ApiTokens.Testing;

/// <summary>
/// What every <see cref="UsageRecordingStore"/> of a host reports to (one per host, so a scoped store's instances share it): how
/// many usage writes ran and carried how many entries, a switch that makes them fail as a database outage would, and a way to
/// wait for the next one.
/// </summary>
public sealed class UsageWriteProbe
{
    private readonly SemaphoreSlim _written = new(0);
    private int _calls;
    private int _entries;

    /// <summary>How many times <see cref="IApiTokenStore.RecordUsageAsync"/> was called.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>How many entries all calls carried.</summary>
    public int Entries => Volatile.Read(ref _entries);

    /// <summary>Whether usage writes throw as a database outage would.</summary>
    public bool Down { get; set; }

    /// <summary>Waits until one more usage write has finished (succeeded or failed); fails after 30 s.</summary>
    public async Task WaitForWriteAsync() => Assert.True(await _written.WaitAsync(TimeSpan.FromSeconds(30)), "no usage write within 30 s");

    internal async Task RecordAsync(IReadOnlyList<ApiTokenUsage> usages, Func<Task> write)
    {
        try
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _entries, usages.Count);
            if (Down)
            {
                throw new ApiTokenStoreUnavailableException("usage", new TimeoutException("database down"));
            }

            await write();
        }
        finally
        {
            _written.Release();
        }
    }
}
