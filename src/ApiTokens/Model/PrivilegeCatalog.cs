using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// The privileges this application knows, in order: WHM's ACL chart (<see cref="WhmPrivileges.Catalogue"/>) by default, or the
/// host's own (<see cref="ApiTokenOptions.Privileges"/>), then <see cref="ApiTokenOptions.AdditionalPrivileges"/>, then
/// <c>all</c> (root access, in every catalogue). Endpoints may only require these names (checked at start-up), tokens may only
/// be limited to them, and the page and the WHM calls offer them. Names are compared exactly (ordinal, case-sensitive).
/// </summary>
public sealed class PrivilegeCatalog
{
    private readonly FrozenDictionary<string, Privilege> _byName;

    /// <summary>Creates the catalogue that <paramref name="options"/> define (see <see cref="ApiTokenOptions.Privileges"/>).</summary>
    /// <exception cref="OptionsValidationException">The options define an invalid catalogue; the message names each mistake.</exception>
    public PrivilegeCatalog(IOptions<ApiTokenOptions> options)
        : this(Build(options))
    {
    }

    /// <summary>
    /// Creates a catalogue of exactly <paramref name="privileges"/>, in that order, then <c>all</c>. Pass
    /// <see cref="WhmPrivileges.Catalogue"/> for WHM's chart.
    /// </summary>
    /// <exception cref="ArgumentException">A name is invalid (see <see cref="PrivilegeNames"/>), given twice, or redefines <c>all</c>.</exception>
    public PrivilegeCatalog(IEnumerable<Privilege> privileges)
        : this(Build(privileges))
    {
    }

    private PrivilegeCatalog(List<Privilege> all)
    {
        All = all;
        _byName = all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        Groups = GroupsOf(all);
        IsWhmChart = all.Count == WhmPrivileges.Catalogue.Count && all.Select(p => p.Name).SequenceEqual(WhmPrivileges.Catalogue.Select(p => p.Name));
    }

    /// <summary>Every known privilege in catalogue order; <c>all</c> is last.</summary>
    public IReadOnlyList<Privilege> All { get; }

    /// <summary>Every known privilege under its group, groups in the order they first appear.</summary>
    public IReadOnlyList<PrivilegeGroup> Groups { get; }

    /// <summary>Whether this is WHM's ACL chart, unchanged (the default); <see langword="false"/> for a host's own vocabulary.</summary>
    public bool IsWhmChart { get; }

    /// <summary>Whether <paramref name="name"/> is a known privilege (exact, case-sensitive).</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Finds a privilege by name (exact, case-sensitive), or <see langword="null"/>.</summary>
    public Privilege? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The privileges an account can grant to its tokens: every known privilege when it holds <c>all</c>, otherwise those
    /// it holds, in catalogue order. Names the account holds that are not in the catalogue are left out.
    /// </summary>
    public IReadOnlyList<Privilege> GrantableBy(IReadOnlySet<string> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Contains(WhmPrivileges.All) ? All : All.Where(p => held.Contains(p.Name)).ToArray();
    }

    /// <summary><see cref="GrantableBy"/> under their groups, as the page lists them.</summary>
    public IReadOnlyList<PrivilegeGroup> GroupsGrantableBy(IReadOnlySet<string> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Contains(WhmPrivileges.All) ? Groups : GroupsOf(GrantableBy(held));
    }

    private static PrivilegeGroup[] GroupsOf(IEnumerable<Privilege> privileges) => privileges
        .GroupBy(p => p.Group, StringComparer.Ordinal)
        .Select(g => new PrivilegeGroup(g.Key, g.ToArray()))
        .ToArray();

    private static List<Privilege> Build(IOptions<ApiTokenOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var all = PrivilegeCatalogRules.Build(options.Value, errors);
        return errors.Count == 0 ? all : throw new OptionsValidationException(Options.DefaultName, typeof(ApiTokenOptions), errors);
    }

    private static List<Privilege> Build(IEnumerable<Privilege> privileges)
    {
        ArgumentNullException.ThrowIfNull(privileges);
        var errors = new List<string>();
        var all = PrivilegeCatalogRules.Build(privileges, [], errors, privilegesSetting: "privileges");
        return errors.Count == 0 ? all : throw new ArgumentException(string.Join(" ", errors), nameof(privileges));
    }
}
