namespace ApiTokens.Sodium.Tests;

/// <summary>
/// The libsodium hasher and the managed one (Isopoh.Cryptography.Argon2) write the same strings and verify each other's, so an
/// app can switch either way without touching a stored hash.
/// </summary>
public sealed class CompatibilityTests
{
    private const string Secret = "Q7K2M9X4P1R8T6W3Z5B0C2D4E6";

    [Theory]
    [InlineData(64, 1, 32)]
    [InlineData(72, 3, 16)]
    [InlineData(128, 2, 64)]
    [InlineData(64, 1, 20)]
    public void Hash_IsByteForByteTheStringIsopohWrites_ForTheSameSaltAndParameters(int memory, int time, int hashLength)
    {
        var salt = HashFixtures.Salt(16);
        var sodium = new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions { MemoryCost = memory, TimeCost = time, HashLength = hashLength });

        var expected = HashFixtures.Isopoh(Secret, salt, memory, time, hashLength: hashLength);

        Assert.Equal(expected, sodium.Hash(Secret, salt));
        Assert.StartsWith($"$argon2id$v=19$m={memory},t={time},p=1$", expected, StringComparison.Ordinal);
        Assert.DoesNotContain("=", expected.Split('$')[4] + expected.Split('$')[5], StringComparison.Ordinal);
    }

    [Fact]
    public void AManagedHash_VerifiesWithSodium_AndAnythingElseFails()
    {
        var managed = new Argon2ApiTokenHasher(HashFixtures.Light());
        var sodium = new SodiumArgon2ApiTokenHasher(HashFixtures.Light());
        var hash = managed.Hash(Secret);

        Assert.Equal(HashVerificationResult.Success, sodium.Verify(hash, Secret));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(hash, Secret[..^1] + "7"));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(hash, Secret.ToLowerInvariant()));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(hash, ""));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(Tamper(hash), Secret));
    }

    [Fact]
    public void ASodiumHash_VerifiesWithTheManagedHasher_AndAnythingElseFails()
    {
        var managed = new Argon2ApiTokenHasher(HashFixtures.Light());
        var sodium = new SodiumArgon2ApiTokenHasher(HashFixtures.Light());
        var hash = sodium.Hash(Secret);

        Assert.Matches(@"^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
        Assert.NotEqual(hash, sodium.Hash(Secret));
        Assert.Equal(HashVerificationResult.Success, managed.Verify(hash, Secret));
        Assert.Equal(HashVerificationResult.Success, sodium.Verify(hash, Secret));
        Assert.Equal(HashVerificationResult.Failed, managed.Verify(hash, Secret[..^1] + "7"));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(hash, Secret[..^1] + "7"));
        Assert.Equal(HashVerificationResult.Failed, managed.Verify(Tamper(hash), Secret));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(Tamper(hash), Secret));
    }

    [Fact]
    public void AtTheDefaults_19MiB2Passes_EachVerifiesTheOthersHash()
    {
        var defaults = new Argon2HashingOptions();
        Assert.Equal((19456, 2, 1, 16), (defaults.MemoryCost, defaults.TimeCost, defaults.Parallelism, defaults.SaltLength));
        var managed = new Argon2ApiTokenHasher(defaults);
        var sodium = new SodiumArgon2ApiTokenHasher(defaults);

        var fromSodium = sodium.Hash(Secret);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", fromSodium, StringComparison.Ordinal);
        Assert.Equal(HashVerificationResult.Success, managed.Verify(fromSodium, Secret));

        var fromManaged = managed.Hash(Secret);
        Assert.Equal(HashVerificationResult.Success, sodium.Verify(fromManaged, Secret));
    }

    [Fact]
    public void Verify_AHashWithWeakerParameters_AsksForARehash_OnlyWhenTheSecretMatches()
    {
        var sodium = new SodiumArgon2ApiTokenHasher(HashFixtures.Light(memory: 128, time: 2));
        var weakerMemory = new Argon2ApiTokenHasher(HashFixtures.Light(memory: 64, time: 2)).Hash(Secret);
        var fewerPasses = new SodiumArgon2ApiTokenHasher(HashFixtures.Light(memory: 128, time: 1)).Hash(Secret);
        var stronger = new Argon2ApiTokenHasher(HashFixtures.Light(memory: 256, time: 3)).Hash(Secret);

        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, sodium.Verify(weakerMemory, Secret));
        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, sodium.Verify(fewerPasses, Secret));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(weakerMemory, "WRONG"));
        Assert.Equal(HashVerificationResult.Failed, sodium.Verify(fewerPasses, "WRONG"));
        Assert.Equal(HashVerificationResult.Success, sodium.Verify(stronger, Secret));
        Assert.Equal(HashVerificationResult.Success, sodium.Verify(sodium.Hash(Secret), Secret));
    }

    private static string Tamper(string hash)
    {
        // One base64 digit inside the stored hash changed: still a well-formed string, of another hash.
        var chars = hash.ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
