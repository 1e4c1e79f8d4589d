using System.Security.Claims;
using ApiTokens.Authentication;
using ApiTokens.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Tests.Authorization;

/// <summary>
/// The privilege policies through ASP.NET's own authorization service: the privilege requirement alone decides, and
/// only authenticated identities count (the policies carry no separate "authenticated user" requirement).
/// </summary>
public sealed class PrivilegePolicyTests : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IAuthorizationService _authorization;
    private readonly IAuthorizationPolicyProvider _policies;

    public PrivilegePolicyTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddApiTokens().AddInMemoryAccounts();
        services.AddAuthentication(WhmTokenDefaults.AuthenticationScheme).AddWhmTokens();
        _services = services.BuildServiceProvider();
        _authorization = _services.GetRequiredService<IAuthorizationService>();
        _policies = _services.GetRequiredService<IAuthorizationPolicyProvider>();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static ClaimsPrincipal User(string? authenticationType, params string[] privileges) =>
        new(new ClaimsIdentity(
            privileges.Select(p => new Claim(WhmClaimTypes.Privilege, p)).Prepend(new Claim(ClaimTypes.Name, "res")),
            authenticationType));

    private async Task<AuthorizationResult> AuthorizeAsync(ClaimsPrincipal user, string privilege)
    {
        var policy = await _policies.GetPolicyAsync(PrivilegePolicy.NameFor(privilege));
        Assert.NotNull(policy);
        return await _authorization.AuthorizeAsync(user, resource: null, policy!);
    }

    [Fact]
    public async Task AuthenticatedIdentity_WithThePrivilegeOrAll_Succeeds_WithAnother_FailsNamingIt()
    {
        Assert.True((await AuthorizeAsync(User("whm", "list-accts"), "list-accts")).Succeeded);
        Assert.True((await AuthorizeAsync(User("whm", "all"), "kill-acct")).Succeeded);

        var refused = await AuthorizeAsync(User("whm", "list-accts", "create-acct"), "kill-acct");
        Assert.False(refused.Succeeded);
        var failed = Assert.Single(refused.Failure!.FailedRequirements);
        Assert.Equal("kill-acct", Assert.IsType<PrivilegeRequirement>(failed).Privilege);
    }

    [Fact]
    public async Task UnauthenticatedIdentity_CarryingPrivilegeClaims_IsRefused()
    {
        // No authentication type: claims anyone could have put there. Neither the privilege nor 'all' counts.
        Assert.False((await AuthorizeAsync(User(null, "list-accts"), "list-accts")).Succeeded);
        Assert.False((await AuthorizeAsync(User(null, "all"), "list-accts")).Succeeded);
        Assert.False((await AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), "list-accts")).Succeeded);
    }

    [Fact]
    public async Task PrivilegeInASecondAuthenticatedIdentity_Counts()
    {
        var user = new ClaimsPrincipal(new[]
        {
            new ClaimsIdentity([new Claim(WhmClaimTypes.Privilege, "list-accts")], authenticationType: null),
            new ClaimsIdentity([new Claim(WhmClaimTypes.Privilege, "list-accts")], "whm"),
        });
        Assert.True((await AuthorizeAsync(user, "list-accts")).Succeeded);
    }

    [Fact]
    public async Task PolicyForAnUnknownPrivilege_IsAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _policies.GetPolicyAsync("whm:no-such-privilege"));
        Assert.Contains("no-such-privilege", error.Message, StringComparison.Ordinal);
    }
}
