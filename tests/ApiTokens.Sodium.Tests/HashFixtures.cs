using System.Text;
using Isopoh.Cryptography.Argon2;

namespace ApiTokens.Sodium.Tests;

/// <summary>Hashes written by Isopoh.Cryptography.Argon2 directly, for shapes the managed hasher's options do not produce.</summary>
internal static class HashFixtures
{
    /// <summary>The light parameters of the test suite (64 KiB, 1 pass, 1 lane).</summary>
    public static Argon2HashingOptions Light(int memory = 64, int time = 1) => new() { MemoryCost = memory, TimeCost = time, Parallelism = 1 };

    public static string Isopoh(
        string secret, byte[] salt, int memory = 64, int time = 1, int lanes = 1, int hashLength = 32, Argon2Version version = Argon2Version.Nineteen)
    {
        var config = new Argon2Config
        {
            Type = Argon2Type.HybridAddressing,
            Version = version,
            TimeCost = time,
            MemoryCost = memory,
            Lanes = lanes,
            Threads = lanes,
            HashLength = hashLength,
            Salt = salt,
            Password = Encoding.ASCII.GetBytes(secret),
        };
        using var argon2 = new Argon2(config);
        using var hash = argon2.Hash();
        return config.EncodeString(hash.Buffer);
    }

    public static byte[] Salt(int length, byte seed = 7) => Enumerable.Range(0, length).Select(i => (byte)(seed + (i * 31))).ToArray();
}
