using ApiTokens.Tests.Infrastructure;

namespace ApiTokens.Tests.Management;

public sealed class ApiTokenManagerCreateTests : IDisposable
{
    private readonly ManagerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Create_ReturnsPlaintextOnce_AndStoresOnlyAHash()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "deploy" });

        Assert.True(result.Succeeded);
        var plaintext = result.Value.PlaintextToken;
        Assert.Matches("^[0-9A-Z]{32}$", plaintext);
        var stored = await _f.Store.FindByNameAsync(_f.Root.Id, "deploy", default);
        Assert.NotNull(stored);
        Assert.StartsWith("$argon2id$v=19$", stored.SecretHash, StringComparison.Ordinal);
        Assert.Equal(plaintext[..8], stored.Selector);
        var everyField = string.Join("|", stored.Id, stored.AccountId, stored.Name, stored.Selector, stored.SecretHash, stored.ConcurrencyStamp);
        Assert.DoesNotContain(plaintext, everyField, StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext[8..], everyField, StringComparison.Ordinal);
        var listed = await _f.Manager.ListAsync(_f.Root.Id);
        Assert.DoesNotContain(listed.Items, t => t.ToString().Contains(plaintext[8..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_WithATakenName_RunsNoArgon2_AndStoresNothing()
    {
        await _f.CreateAsync(_f.Root, "deploy");
        _f.Hasher.Reset();

        for (var i = 0; i < 5; i++)
        {
            var dup = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "deploy" });
            Assert.Equal(ApiTokenErrorCode.DuplicateName, dup.Error?.Code);
        }

        Assert.Equal(0, _f.Hasher.HashCalls); // issue 15: each refused create used to cost one Argon2 run
        Assert.Single((await _f.Manager.ListAsync(_f.Root.Id)).Items);
    }

    [Fact]
    public async Task Create_TwoTokens_HaveDifferentSecrets()
    {
        var a = await _f.CreateAsync(_f.Root, "a");
        var b = await _f.CreateAsync(_f.Root, "b");
        Assert.NotEqual(a.PlaintextToken, b.PlaintextToken);
    }

    [Fact]
    public async Task Create_TimeIsUtcWholeSeconds()
    {
        _f.Time.Advance(TimeSpan.FromMilliseconds(750));
        var created = await _f.CreateAsync(_f.Root, "t");
        Assert.Equal(ManagerFixture.Start, created.Token.CreatedAt);
        Assert.Equal(TimeSpan.Zero, created.Token.CreatedAt.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("ünïcode")]
    [InlineData("tab\tname")]
    [InlineData("slash/name")]
    [InlineData("123456789012345678901234567890123456789012345678901")] // 51 characters
    public async Task Create_WithInvalidName_IsRejected(string name)
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = name });
        Assert.False(result.Succeeded);
        Assert.Equal(ApiTokenErrorCode.InvalidName, result.Error.Code);
        Assert.Equal("name", result.Error.Field);
        Assert.Equal(0, _f.Hasher.HashCalls);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Deploy_Key-2")]
    [InlineData("12345678901234567890123456789012345678901234567890")] // 50 characters
    public async Task Create_WithValidName_Succeeds(string name)
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = name });
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public async Task Create_DuplicateName_IsRejected_ButOtherCaseAndOtherAccountAreFine()
    {
        await _f.CreateAsync(_f.Root, "ci");

        var dup = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "ci" });
        Assert.Equal(ApiTokenErrorCode.DuplicateName, dup.Error?.Code);
        Assert.Contains("A conflicting API token with the name “ci” already exists.", dup.Error!.Message, StringComparison.Ordinal);

        Assert.True((await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "CI" })).Succeeded);
        Assert.True((await _f.Manager.CreateAsync(_f.Reseller.Id, new ApiTokenCreateRequest { Name = "ci", Acls = ["list-accts"] })).Succeeded);
    }

    [Fact]
    public async Task Create_WithoutAcls_IsFullAccess()
    {
        var created = await _f.CreateAsync(_f.Reseller, "full", null);
        Assert.True(created.Token.HasFullAccess);
        Assert.Null(created.Token.Acls);
    }

    [Fact]
    public async Task Create_WithEmptyAclList_IsRejected()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", Acls = [] });
        Assert.Equal(ApiTokenErrorCode.NoPrivileges, result.Error?.Code);
        Assert.Equal("You must assign at least one ACL privilege to the token.", result.Error!.Message);
    }

    [Fact]
    public async Task Create_AclsAreDeduplicatedAndSorted()
    {
        var created = await _f.CreateAsync(_f.Root, "x", "list-accts", "create-acct", "list-accts", "basic-whm-functions");
        Assert.Equal(["basic-whm-functions", "create-acct", "list-accts"], created.Token.Acls);
    }

    [Fact]
    public async Task Create_WithUnknownPrivilege_IsRejected_EvenForRoot()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", Acls = ["list-accts", "make-coffee"] });
        Assert.Equal(ApiTokenErrorCode.UnauthorizedPrivileges, result.Error?.Code);
        Assert.Contains("Invalid or unauthorized ACL(s) specified: make-coffee", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithAclTheResellerLacks_IsRejected()
    {
        var result = await _f.Manager.CreateAsync(_f.Reseller.Id, new ApiTokenCreateRequest { Name = "x", Acls = ["list-accts", "kill-acct"] });
        Assert.Equal(ApiTokenErrorCode.UnauthorizedPrivileges, result.Error?.Code);
        Assert.Contains("kill-acct", result.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("list-accts", result.Error.Message, StringComparison.Ordinal);
        Assert.Null(await _f.Store.FindByNameAsync(_f.Reseller.Id, "x", default));
    }

    [Fact]
    public async Task Create_WithAnyKnownAcl_ForOwnerWithAll_Succeeds()
    {
        var created = await _f.CreateAsync(_f.Root, "x", "kill-acct", "all", "clustering");
        Assert.Equal(["all", "clustering", "kill-acct"], created.Token.Acls);
    }

    [Fact]
    public async Task Create_WithRegisteredExtraPrivilege_IsAccepted()
    {
        using var f = new ManagerFixture(o => o.AdditionalPrivileges.Add(new("billing-read", "Billing", "Read invoices.")));
        var created = await f.CreateAsync(f.Root, "x", "billing-read");
        Assert.Equal(["billing-read"], created.Token.Acls);
    }

    [Fact]
    public async Task Create_WithPastOrPresentExpiry_IsRejected()
    {
        var past = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", ExpiresAt = ManagerFixture.Start.AddSeconds(-1) });
        Assert.Equal(ApiTokenErrorCode.ExpiryNotInFuture, past.Error?.Code);
        Assert.Contains("must be a future date", past.Error!.Message, StringComparison.Ordinal);

        var now = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", ExpiresAt = ManagerFixture.Start });
        Assert.Equal(ApiTokenErrorCode.ExpiryNotInFuture, now.Error?.Code);
    }

    [Fact]
    public async Task Create_WithFutureExpiry_StoresWholeSeconds()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", ExpiresAt = ManagerFixture.Start.AddDays(1).AddMilliseconds(400) });
        Assert.Equal(ManagerFixture.Start.AddDays(1), result.Value!.Token.ExpiresAt);
    }

    [Fact]
    public async Task Create_ForSuspendedAccount_IsRejected()
    {
        _f.Accounts.Update(_f.Reseller.Id, isSuspended: true);
        var result = await _f.Manager.CreateAsync(_f.Reseller.Id, new ApiTokenCreateRequest { Name = "x" });
        Assert.Equal(ApiTokenErrorCode.AccountSuspended, result.Error?.Code);
        Assert.Equal(0, _f.Store is InMemoryApiTokenStore s ? s.Count : -1);
    }

    [Fact]
    public async Task Create_ForUnknownAccount_IsRejected()
    {
        var result = await _f.Manager.CreateAsync("nobody", new ApiTokenCreateRequest { Name = "x" });
        Assert.Equal(ApiTokenErrorCode.AccountNotFound, result.Error?.Code);
    }

    [Fact]
    public async Task Create_WhitelistIsNormalised()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest
        {
            Name = "x",
            WhitelistIps = ["2001:db8::1/128", "10.0.0.1/32", "192.168.1.0/24", "10.0.0.1", "2001:DB8:0:0::/32", " 10.0.0.1 "],
        });
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["10.0.0.1", "192.168.1.0/24", "2001:db8::/32", "2001:db8::1"], result.Value.Token.WhitelistIps);
    }

    [Fact]
    public async Task Create_WithEmptyWhitelist_MeansAnyAddress()
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", WhitelistIps = [] });
        Assert.Null(result.Value!.Token.WhitelistIps);
    }

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1/")]
    [InlineData("10.0.0.1/-1")]
    [InlineData("010.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1")]
    [InlineData("2001:db8::/129")]
    [InlineData("2001:db8::g")]
    [InlineData("fe80::1%eth0")]
    [InlineData("localhost")]
    [InlineData("")]
    public async Task Create_WithMalformedWhitelistEntry_IsRejected(string entry)
    {
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", WhitelistIps = ["10.1.1.1", entry] });
        Assert.Equal(ApiTokenErrorCode.InvalidWhitelist, result.Error?.Code);
        Assert.Equal("whitelist_ips", result.Error!.Field);
        Assert.Null(await _f.Store.FindByNameAsync(_f.Root.Id, "x", default));
    }

    [Fact]
    public async Task Create_With101WhitelistEntries_IsRejected_100AreFine()
    {
        var hundred = Enumerable.Range(1, 100).Select(i => $"10.0.{i / 256}.{i % 256}").ToArray();
        Assert.True((await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "ok", WhitelistIps = hundred })).Succeeded);

        var tooMany = hundred.Append("10.9.9.9").ToArray();
        var result = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "x", WhitelistIps = tooMany });
        Assert.Equal(ApiTokenErrorCode.InvalidWhitelist, result.Error?.Code);
        Assert.Contains("at most 100", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ConcurrentSameName_ExactlyOneWins()
    {
        var tasks = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "race" })))
            .ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ApiTokenErrorCode.DuplicateName, r.Error!.Code));
        Assert.Equal(1, (await _f.Manager.ListAsync(_f.Root.Id)).TotalCount);
    }

    [Fact]
    public async Task Create_IsAudited_WithoutTheSecret()
    {
        var created = await _f.Manager.CreateAsync(_f.Root.Id, new ApiTokenCreateRequest { Name = "audited" }, new ApiTokenActor("root", "192.0.2.7"));
        var e = Assert.Single(_f.Audit.Events);
        Assert.Equal(ApiTokenAuditAction.Created, e.Action);
        Assert.Equal("audited", e.TokenName);
        Assert.Equal("root", e.Actor);
        Assert.Equal("192.0.2.7", e.RemoteAddress);
        Assert.Equal(ManagerFixture.Start, e.Time);
        Assert.DoesNotContain(created.Value!.PlaintextToken[8..], e.ToString(), StringComparison.Ordinal);
    }
}
