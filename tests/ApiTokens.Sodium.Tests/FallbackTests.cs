using Isopoh.Cryptography.Argon2;
using Microsoft.Extensions.Options;

namespace ApiTokens.Sodium.Tests;

/// <summary>
/// What libsodium cannot compute: stored hashes are verified by the managed hasher instead (and rewritten on success), options
/// are refused when the hasher is made; a malformed hash fails, never throws.
/// </summary>
public sealed class FallbackTests
{
    private const string Secret = "Q7K2M9X4P1R8T6W3Z5B0C2D4E6";

    private readonly SodiumArgon2ApiTokenHasher _sodium = new(HashFixtures.Light());

    [Fact]
    public void Verify_ATwoLaneHash_IsCheckedByTheManagedHasher_AndAsksForARehash()
    {
        var twoLanes = new Argon2ApiTokenHasher(new Argon2HashingOptions { MemoryCost = 64, TimeCost = 1, Parallelism = 2 }).Hash(Secret);
        Assert.Contains(",p=2$", twoLanes, StringComparison.Ordinal);

        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, _sodium.Verify(twoLanes, Secret));
        Assert.Equal(HashVerificationResult.Failed, _sodium.Verify(twoLanes, "WRONG"));
    }

    [Fact]
    public void Verify_AHashWithA32ByteSalt_IsCheckedByTheManagedHasher_AndAsksForARehash()
    {
        var longSalt = new Argon2ApiTokenHasher(new Argon2HashingOptions { MemoryCost = 64, TimeCost = 1, SaltLength = 32 }).Hash(Secret);
        Assert.Equal(43, longSalt.Split('$')[4].Length);

        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, _sodium.Verify(longSalt, Secret));
        Assert.Equal(HashVerificationResult.Failed, _sodium.Verify(longSalt, "WRONG"));
    }

    [Fact]
    public void Verify_AHashShorterThan16Bytes_IsCheckedByTheManagedHasher()
    {
        // libsodium derives at least 16 bytes; Argon2's output length is one of its inputs, so a shorter hash is not a prefix.
        var shortTag = HashFixtures.Isopoh(Secret, HashFixtures.Salt(16), hashLength: 8);

        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, _sodium.Verify(shortTag, Secret));
        Assert.Equal(HashVerificationResult.Failed, _sodium.Verify(shortTag, "WRONG"));
    }

    [Fact]
    public void Verify_AnArgon2Version16Hash_IsCheckedByTheManagedHasher()
    {
        var version16 = HashFixtures.Isopoh(Secret, HashFixtures.Salt(16), version: Argon2Version.Sixteen);
        Assert.DoesNotContain("v=19", version16, StringComparison.Ordinal);

        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, _sodium.Verify(version16, Secret));
        Assert.Equal(HashVerificationResult.Failed, _sodium.Verify(version16, "WRONG"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("$sha512$00")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$!!!$###")]
    [InlineData("$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNh bHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA$extra")]
    [InlineData("$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1,q=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFza")]
    public void Verify_AMalformedHash_Fails_WithoutThrowing(string hash)
    {
        Assert.Equal(HashVerificationResult.Failed, _sodium.Verify(hash, Secret));
    }

    [Fact]
    public void Verify_AWellFormedHashOfAnotherSecret_WithAnyDeviationFromTheCanonicalSpelling_IsNotTakenForOurs()
    {
        // The same hash with padding or a leading zero is read by the managed hasher (same answer), never by a lenient parser.
        var hash = new Argon2ApiTokenHasher(HashFixtures.Light()).Hash(Secret);
        var parts = hash.Split('$');
        var padded = string.Join('$', parts[0], parts[1], parts[2], parts[3], parts[4] + "==", parts[5] + "=");
        var leadingZero = hash.Replace("m=64,", "m=064,", StringComparison.Ordinal);

        Assert.Equal(new Argon2ApiTokenHasher(HashFixtures.Light()).Verify(padded, Secret) == HashVerificationResult.Failed, _sodium.Verify(padded, Secret) == HashVerificationResult.Failed);
        Assert.Equal(new Argon2ApiTokenHasher(HashFixtures.Light()).Verify(leadingZero, Secret) == HashVerificationResult.Failed, _sodium.Verify(leadingZero, Secret) == HashVerificationResult.Failed);
        Assert.NotEqual(HashVerificationResult.Success, _sodium.Verify(padded, Secret));
        Assert.NotEqual(HashVerificationResult.Success, _sodium.Verify(leadingZero, Secret));
    }

    [Fact]
    public void Create_WithTwoLanes_IsRefused_NamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions { Parallelism = 2 }));

        Assert.Contains("ApiTokens:Hashing:Parallelism is 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("set ApiTokens:Hashing:Parallelism to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithA32ByteSalt_IsRefused_NamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions { SaltLength = 32 }));

        Assert.Contains("ApiTokens:Hashing:SaltLength is 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithOptionsTheManagedHasherRefuses_IsRefusedTheSameWay()
    {
        Assert.Throws<OptionsValidationException>(() => new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions { TimeCost = 0 }));
        Assert.Throws<OptionsValidationException>(() => new SodiumArgon2ApiTokenHasher(new Argon2HashingOptions { HashLength = 8 }));
    }

    [Fact]
    public void Create_WhenLibsodiumCannotLoad_SaysSo_AndWhatToDo()
    {
        var missing = new SodiumRuntime(() => "libsodium: cannot open shared object file");

        var error = Assert.Throws<InvalidOperationException>(() => new SodiumArgon2ApiTokenHasher(HashFixtures.Light(), missing));

        Assert.Contains("native libsodium", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open shared object file", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove AddSodiumHasher()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Libsodium_LoadsOnThisMachine_FromTheNSecPackage()
    {
        Assert.Null(SodiumRuntime.Native.LoadError());
    }
}
