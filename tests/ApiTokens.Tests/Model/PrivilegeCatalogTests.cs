using Microsoft.Extensions.Options;

namespace ApiTokens.Tests.Model;

public sealed class PrivilegeCatalogTests
{
    private static readonly Privilege[] Orders =
    [
        new("orders.read", "Orders", "See orders."),
        new("orders:write", "Orders", "Change orders."),
        new("Reports.Export", "Reports", "Export reports.", Escalates: true),
    ];

    private static PrivilegeCatalog FromOptions(Action<ApiTokenOptions> configure)
    {
        var options = new ApiTokenOptions();
        configure(options);
        return new PrivilegeCatalog(Options.Create(options));
    }

    [Fact]
    public void Default_IsWhmsAclChart()
    {
        var catalog = FromOptions(_ => { });
        Assert.Equal(WhmPrivileges.Catalogue.Select(p => p.Name), catalog.All.Select(p => p.Name));
        Assert.True(catalog.IsWhmChart);
        Assert.Equal(64, catalog.All.Count);
    }

    [Fact]
    public void OwnPrivileges_ReplaceWhmsChart_InTheirOrder_WithAllLast()
    {
        var catalog = FromOptions(o => { foreach (var p in Orders) { o.Privileges.Add(p); } });
        Assert.Equal(["orders.read", "orders:write", "Reports.Export", "all"], catalog.All.Select(p => p.Name));
        Assert.False(catalog.IsWhmChart);
        Assert.False(catalog.Contains("list-accts"));
        Assert.False(catalog.Contains(WhmPrivileges.ManageApiTokens));
        Assert.True(catalog.Contains("all"));
        Assert.Equal(["Orders", "Reports", WhmPrivileges.RootGroup], catalog.Groups.Select(g => g.Name));
        Assert.True(catalog.Find("Reports.Export")!.Escalates);
    }

    [Fact]
    public void Names_AreComparedExactly()
    {
        var catalog = new PrivilegeCatalog(Orders);
        Assert.True(catalog.Contains("orders.read"));
        Assert.False(catalog.Contains("Orders.Read"));
        Assert.False(catalog.Contains("reports.export"));
        Assert.Null(catalog.Find("ORDERS:WRITE"));
    }

    [Fact]
    public void AdditionalPrivileges_ComeAfterTheCatalogue_AndBeforeAll()
    {
        var whm = FromOptions(o => o.AdditionalPrivileges.Add(new("billing.read", "Billing", "Read invoices.")));
        Assert.Equal("billing.read", whm.All[^2].Name);
        Assert.Equal("all", whm.All[^1].Name);
        Assert.True(whm.Contains("list-accts"));
        Assert.False(whm.IsWhmChart);

        var own = FromOptions(o =>
        {
            o.Privileges.Add(Orders[0]);
            o.AdditionalPrivileges.Add(new("billing.read", "Billing", "Read invoices."));
        });
        Assert.Equal(["orders.read", "billing.read", "all"], own.All.Select(p => p.Name));
    }

    [Fact]
    public void GrantableBy_IsWhatTheAccountHoldsInTheCatalogue_OrEverythingForRoot()
    {
        var catalog = new PrivilegeCatalog(Orders);
        var clerk = new HashSet<string>(["orders:write", "orders.read", WhmPrivileges.ManageApiTokens, "Orders.Read"], StringComparer.Ordinal);
        Assert.Equal(["orders.read", "orders:write"], catalog.GrantableBy(clerk).Select(p => p.Name));
        var groups = catalog.GroupsGrantableBy(clerk);
        Assert.Equal("Orders", Assert.Single(groups).Name);

        var root = new HashSet<string>(["all"], StringComparer.Ordinal);
        Assert.Equal(catalog.All, catalog.GrantableBy(root));
        Assert.Equal(catalog.Groups, catalog.GroupsGrantableBy(root));
    }

    [Fact]
    public void APrivilegeWithoutAGroup_IsListedUnderGeneral()
    {
        var catalog = new PrivilegeCatalog([new Privilege { Name = "ping" }]);
        Assert.Equal("General", catalog.Find("ping")!.Group);
        Assert.Equal(string.Empty, catalog.Find("ping")!.Description);
    }

    [Fact]
    public void CopyingWhmsChartIntoOwnPrivileges_IsAllowed_ItsAllIsTheBuiltInOne()
    {
        var catalog = FromOptions(o =>
        {
            foreach (var p in WhmPrivileges.Catalogue)
            {
                o.Privileges.Add(p);
            }

            o.Privileges.Add(Orders[0]);
        });
        Assert.Equal(65, catalog.All.Count); // WHM's 63 ACLs, orders.read, all
        Assert.Equal("all", catalog.All[^1].Name);
    }

    [Fact]
    public void InvalidOwnPrivileges_FailWithAMessageNamingEachEntry()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => FromOptions(o =>
        {
            o.Privileges.Add(new("orders.read", "Orders", "See orders."));
            o.Privileges.Add(new("orders read", "Orders", "Typo."));
            o.Privileges.Add(new("orders.read", "Orders", "Again."));
            o.Privileges.Add(new("Orders.Read", "Orders", "Other case."));
            o.Privileges.Add(new("all", "Mine", "My own root."));
            o.Privileges.Add(new Privilege());
            o.Privileges.Add(new("whm:orders", "Orders", "Looks like a policy."));
        }));
        var message = ex.Message;
        Assert.Contains("ApiTokens:Privileges:1:Name “orders read” is not a valid privilege name.", message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:2:Name “orders.read” is already defined by ApiTokens:Privileges:0.", message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:3:Name “Orders.Read” differs only in case from “orders.read”", message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:4:Name “all” redefines root access", message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:5 has no name.", message, StringComparison.Ordinal);
        Assert.Contains("ApiTokens:Privileges:6:Name “whm:orders” is not a valid privilege name.", message, StringComparison.Ordinal);
        Assert.Contains(PrivilegeNames.Rule, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdditionalPrivilegeThatWhmAlreadyHas_FailsNamingIt()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => FromOptions(o => o.AdditionalPrivileges.Add(new("list-accts", "Mine", "Again."))));
        Assert.Contains("ApiTokens:AdditionalPrivileges:0:Name “list-accts” is already defined by WHM's ACL chart.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheListConstructor_RefusesBadNames_WithAnArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PrivilegeCatalog([new("orders read", "Orders", "Typo.")]));
        Assert.Contains("“orders read” is not a valid privilege name", ex.Message, StringComparison.Ordinal);
    }
}
