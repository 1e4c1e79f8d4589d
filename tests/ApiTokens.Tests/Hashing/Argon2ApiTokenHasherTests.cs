using Isopoh.Cryptography.Argon2;
using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Hashing;

public sealed class Argon2ApiTokenHasherTests
{
    private readonly Argon2ApiTokenHasher _hasher = new(CountingHasher.TestParameters);

    [Fact]
    public void Verify_AHashOfAnotherArgon2Version_StillVerifies_AndAsksForARehash()
    {
        var config = new Isopoh.Cryptography.Argon2.Argon2Config
        {
            Type = Isopoh.Cryptography.Argon2.Argon2Type.HybridAddressing,
            Version = Isopoh.Cryptography.Argon2.Argon2Version.Sixteen,
            TimeCost = 1,
            MemoryCost = 64,
            Lanes = 1,
            Threads = 1,
            Salt = new byte[16],
            Password = System.Text.Encoding.ASCII.GetBytes("S"),
        };
        string imported;
        using (var argon2 = new Isopoh.Cryptography.Argon2.Argon2(config))
        using (var hash = argon2.Hash())
        {
            imported = config.EncodeString(hash.Buffer);
        }

        Assert.StartsWith("$argon2id$", imported, StringComparison.Ordinal);
        Assert.DoesNotContain("v=19", imported, StringComparison.Ordinal);
        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, _hasher.Verify(imported, "S"));
        Assert.Equal(HashVerificationResult.Failed, _hasher.Verify(imported, "T"));
    }

    [Fact]
    public void Hash_IsArgon2idPhcString_WithConfiguredParameters_AndRandomSalt()
    {
        var a = _hasher.Hash("SECRET");
        var b = _hasher.Hash("SECRET");
        Assert.Matches(@"^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Verify_AcceptsTheSecret_AndRejectsAnythingElse()
    {
        var hash = _hasher.Hash("CORRECTSECRET");
        Assert.Equal(HashVerificationResult.Success, _hasher.Verify(hash, "CORRECTSECRET"));
        Assert.Equal(HashVerificationResult.Failed, _hasher.Verify(hash, "CORRECTSECREU"));
        Assert.Equal(HashVerificationResult.Failed, _hasher.Verify(hash, "correctsecret"));
        Assert.Equal(HashVerificationResult.Failed, _hasher.Verify(hash, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$!!!$###")]
    [InlineData("$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1")]
    public void Verify_MalformedHash_IsFalse_NotAnException(string hash)
    {
        Assert.Equal(HashVerificationResult.Failed, _hasher.Verify(hash, "SECRET"));
    }

    [Fact]
    public void Verify_SaysRehashNeeded_OnlyWhenTheSecretMatchesAWeakerHash()
    {
        var weak = _hasher.Hash("S");
        var stronger = new Argon2ApiTokenHasher(new Argon2HashingOptions { MemoryCost = 128, TimeCost = 1, Parallelism = 1 });
        Assert.Equal(HashVerificationResult.SuccessRehashNeeded, stronger.Verify(weak, "S"));
        Assert.Equal(HashVerificationResult.Failed, stronger.Verify(weak, "T"));
        Assert.Equal(HashVerificationResult.Success, _hasher.Verify(weak, "S"));
        Assert.Equal(HashVerificationResult.Success, stronger.Verify(stronger.Hash("S"), "S"));
        Assert.Equal(HashVerificationResult.Failed, stronger.Verify("garbage", "S"));
    }

    [Fact]
    public void Defaults_AreArgon2id19MiB2Passes1Lane()
    {
        var o = new Argon2HashingOptions();
        Assert.Equal((19456, 2, 1), (o.MemoryCost, o.TimeCost, o.Parallelism));
    }
}
