using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Hashing;

public sealed class Argon2ApiTokenHasherTests
{
    private readonly Argon2ApiTokenHasher _hasher = new(CountingHasher.TestParameters);

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
