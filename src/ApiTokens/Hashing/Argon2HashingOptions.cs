namespace ApiTokens;

/// <summary>
/// Argon2id parameters. The defaults are OWASP's lower recommended configuration
/// (19 MiB, 2 passes, 1 lane): token secrets are 124+ random bits, so the hash does not have to
/// slow a dictionary attack (there is none), it only has to make a leaked table useless; cheaper
/// parameters keep the rare cold verify, and a flood of wrong secrets, affordable.
/// </summary>
public sealed class Argon2HashingOptions
{
    /// <summary>Memory in KiB. Default 19456 (19 MiB).</summary>
    public int MemoryCost { get; set; } = 19456;

    /// <summary>Passes over memory. Default 2.</summary>
    public int TimeCost { get; set; } = 2;

    /// <summary>Lanes. Default 1.</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>Hash length in bytes. Default 32.</summary>
    public int HashLength { get; set; } = 32;

    /// <summary>Salt length in bytes. Default 16.</summary>
    public int SaltLength { get; set; } = 16;

    internal IEnumerable<string> Validate()
    {
        if (Parallelism is < 1 or > 16)
        {
            yield return Messages.InvalidParallelism;
        }

        if (MemoryCost < 8 * Parallelism || MemoryCost > 4 * 1024 * 1024)
        {
            yield return Messages.InvalidMemoryCost;
        }

        if (TimeCost is < 1 or > 100)
        {
            yield return Messages.InvalidTimeCost;
        }

        if (HashLength is < 16 or > 64)
        {
            yield return Messages.InvalidHashLength;
        }

        if (SaltLength is < 16 or > 64)
        {
            yield return Messages.InvalidSaltLength;
        }
    }
}
