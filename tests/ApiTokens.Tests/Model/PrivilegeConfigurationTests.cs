using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Model;

/// <summary>The host's own vocabulary from configuration (<c>ApiTokens:Privileges</c>), bound by Microsoft.Extensions.Configuration.Binder.</summary>
public sealed class PrivilegeConfigurationTests
{
    private const string AppSettings = """
        {
          "ApiTokens": {
            "Privileges": [
              { "Name": "orders.read", "Group": "Orders", "Description": "See orders." },
              { "Name": "orders:write", "Group": "Orders", "Description": "Change orders." },
              { "Name": "Staff.Impersonate", "Group": "Staff", "Description": "Act as someone else.", "Escalates": true },
              { "Name": "ping" }
            ],
            "AdditionalPrivileges": [ { "Name": "billing.read", "Group": "Billing" } ]
          }
        }
        """;

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void InMemoryConfiguration_BindsEveryField()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiTokens:Privileges:0:Name"] = "orders.read",
            ["ApiTokens:Privileges:0:Group"] = "Orders",
            ["ApiTokens:Privileges:0:Description"] = "See orders.",
            ["ApiTokens:Privileges:1:Name"] = "Orders:Refund",
            ["ApiTokens:Privileges:1:Group"] = "Orders",
            ["ApiTokens:Privileges:1:Description"] = "Refund orders.",
            ["ApiTokens:Privileges:1:Escalates"] = "true",
        }).Build();
        var options = new ApiTokenOptions();
        config.GetSection("ApiTokens").Bind(options);

        Assert.Equal(
            [new Privilege("orders.read", "Orders", "See orders."), new Privilege("Orders:Refund", "Orders", "Refund orders.", Escalates: true)],
            options.Privileges);
        var catalog = new PrivilegeCatalog(Options.Create(options));
        Assert.Equal(["orders.read", "Orders:Refund", "all"], catalog.All.Select(p => p.Name));
    }

    [Fact]
    public void AppSettingsJson_BindsTheListAndTheAdditions()
    {
        var options = new ApiTokenOptions();
        Json(AppSettings).GetSection("ApiTokens").Bind(options);
        var catalog = new PrivilegeCatalog(Options.Create(options));

        Assert.Equal(["orders.read", "orders:write", "Staff.Impersonate", "ping", "billing.read", "all"], catalog.All.Select(p => p.Name));
        Assert.True(catalog.Find("Staff.Impersonate")!.Escalates);
        Assert.False(catalog.Find("orders.read")!.Escalates);
        Assert.Equal("General", catalog.Find("ping")!.Group);
        Assert.Equal(["Orders", "Staff", "General", "Billing", WhmPrivileges.RootGroup], catalog.Groups.Select(g => g.Name));
    }

    [Fact]
    public async Task ConfiguredVocabulary_DrivesEndpointsAndPolicies_WhmPrefixStrippedOnce()
    {
        var section = Json(AppSettings).GetSection("ApiTokens");
        await using var server = await new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.Configure<ApiTokenOptions>(section))
            .ConfigureApp(app =>
            {
                app.MapGet("/orders", () => "orders").RequirePrivilege("orders.read");
                app.MapPost("/orders", () => "created").RequirePrivilege("orders:write");
                // The policy name is whm:<privilege>; the privilege itself has a colon.
                app.MapGet("/orders/policy", () => "by policy").RequireAuthorization("whm:orders:write");
            })
            .StartAsync();
        var clerk = server.Accounts.Add("clerk", "orders.read", "orders:write");
        var reader = (await server.CreateTokenAsync(clerk, "reader", ["orders.read"])).PlaintextToken;
        var writer = (await server.CreateTokenAsync(clerk, "writer", ["orders:write"])).PlaintextToken;

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Get, "/orders", reader));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server, HttpMethod.Post, "/orders", reader));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server, HttpMethod.Get, "/orders/policy", reader));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Post, "/orders", writer));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Get, "/orders/policy", writer));
    }

    [Fact]
    public async Task ConfiguredVocabulary_WithAWhmAclOnAnEndpoint_StopsStartUp_NamingIt()
    {
        var section = Json(AppSettings).GetSection("ApiTokens");
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.Configure<ApiTokenOptions>(section))
            .ConfigureApp(app => app.MapGet("/accounts", () => "x").RequirePrivilege("list-accts"))
            .StartAsync());
        Assert.Contains("'list-accts'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOrDuplicateConfiguredNames_StopStartUp_NamingThem()
    {
        var section = Json("""
            { "ApiTokens": { "Privileges": [
              { "Name": "orders.read" }, { "Name": "orders read" }, { "Name": "orders.read" }, { "Name": "all", "Group": "Mine" }
            ] } }
            """).GetSection("ApiTokens");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => new ApiTokensTestHostBuilder()
            .ConfigureServices(s => s.Configure<ApiTokenOptions>(section))
            .StartAsync());
        Assert.Contains("ApiTokens:Privileges:1:Name “orders read” is not a valid privilege name.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:2:Name “orders.read” is already defined by ApiTokens:Privileges:0.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:3:Name “all” redefines root access", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(ApiTokensTestHost server, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"whm clerk:{token}");
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }
}
