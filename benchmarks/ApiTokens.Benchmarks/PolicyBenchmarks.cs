using System.Security.Claims;
using ApiTokens.Authentication;
using ApiTokens.Authorization;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ApiTokens.Benchmarks;

/// <summary>
/// Privilege policy evaluation (<c>whm:&lt;privilege&gt;</c>) for a token holding 1, 10 or 50 privileges; the required
/// privilege is the last claim, the worst case for the claim scan.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private ServiceProvider _provider = null!;
    private IAuthorizationService _authorization = null!;
    private ClaimsPrincipal _principal = null!;
    private string _policy = null!;

    [Params(1, 10, 50)]
    public int Privileges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApiTokens();
        services.AddPrivilegeAuthorization();
        _provider = services.BuildServiceProvider();
        _authorization = _provider.GetRequiredService<IAuthorizationService>();

        var names = WhmPrivileges.Catalogue.Select(p => p.Name).Where(n => n != WhmPrivileges.All).Take(Privileges).ToList();
        if (names.Count != Privileges)
        {
            throw new InvalidOperationException($"The catalogue has only {names.Count} privileges.");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, "root"), new(WhmClaimTypes.FullAccess, "false") };
        claims.AddRange(names.Select(n => new Claim(WhmClaimTypes.Privilege, n)));
        _principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "whm", ClaimTypes.Name, ClaimTypes.Role));
        _policy = PrivilegePolicy.NameFor(names[^1]);
        if (!Authorize().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The policy failed.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Description = "whm:<privilege> policy")]
    public async Task<bool> Authorize() => (await _authorization.AuthorizeAsync(_principal, null, _policy).ConfigureAwait(false)).Succeeded;
}
