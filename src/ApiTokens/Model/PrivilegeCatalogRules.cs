namespace ApiTokens;

/// <summary>
/// Builds a catalogue from its definition and states every mistake in it, once for start-up validation
/// (<see cref="ApiTokenOptions"/>) and for <see cref="PrivilegeCatalog"/>'s constructors: names follow
/// <see cref="PrivilegeNames"/>, none twice (nor twice in different case), <c>all</c> is built in and cannot be redefined.
/// </summary>
internal static class PrivilegeCatalogRules
{
    /// <summary>The group of a privilege defined without one.</summary>
    public const string DefaultGroup = "General";

    /// <summary>
    /// The catalogue: <paramref name="privileges"/> (or WHM's chart when <see langword="null"/>), then
    /// <paramref name="additional"/>, then <c>all</c>. Each mistake is added to <paramref name="errors"/>, which names the
    /// entries by <paramref name="privilegesSetting"/> and <paramref name="additionalSetting"/> and their index.
    /// </summary>
    public static List<Privilege> Build(
        IEnumerable<Privilege?>? privileges,
        IEnumerable<Privilege?> additional,
        List<string> errors,
        string privilegesSetting = "ApiTokens:Privileges",
        string additionalSetting = "ApiTokens:AdditionalPrivileges")
    {
        var all = new List<Privilege>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (privileges is null)
        {
            all.AddRange(WhmPrivileges.Catalogue.Where(p => p.Name != WhmPrivileges.All));
            foreach (var p in all)
            {
                seen[p.Name] = "WHM's ACL chart";
            }
        }
        else
        {
            Add(all, seen, privileges, privilegesSetting, errors);
        }

        Add(all, seen, additional, additionalSetting, errors);
        all.Add(WhmPrivileges.Root);
        return all;
    }

    /// <summary>The definition <see cref="ApiTokenOptions"/> gives: its own list, or WHM's chart while that list is empty.</summary>
    public static List<Privilege> Build(ApiTokenOptions options, List<string> errors) =>
        Build(options.Privileges.Count == 0 ? null : options.Privileges, options.AdditionalPrivileges, errors);

    private static void Add(
        List<Privilege> all, Dictionary<string, string> seen, IEnumerable<Privilege?> entries, string setting, List<string> errors)
    {
        var index = 0;
        foreach (var entry in entries)
        {
            var at = $"{setting}:{index++}";
            if (entry is null || string.IsNullOrWhiteSpace(entry.Name))
            {
                errors.Add(Messages.PrivilegeWithoutName(at));
                continue;
            }

            var name = entry.Name;
            if (string.Equals(name, WhmPrivileges.All, StringComparison.OrdinalIgnoreCase))
            {
                // WHM's own root entry (a host that copies WhmPrivileges.Catalogue) is the built-in one; any other is a redefinition.
                if (entry != WhmPrivileges.Root)
                {
                    errors.Add(Messages.PrivilegeRedefinesAll(at, name));
                }

                continue;
            }

            if (!PrivilegeNames.IsValid(name))
            {
                errors.Add(Messages.InvalidPrivilegeName(at, name));
                continue;
            }

            if (seen.TryGetValue(name, out var first))
            {
                var existing = all.First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Name;
                errors.Add(string.Equals(existing, name, StringComparison.Ordinal)
                    ? Messages.DuplicatePrivilege(at, name, first)
                    : Messages.PrivilegesDifferOnlyInCase(at, name, existing, first));
                continue;
            }

            seen[name] = at;
            all.Add(string.IsNullOrWhiteSpace(entry.Group) || entry.Description is null
                ? entry with { Group = string.IsNullOrWhiteSpace(entry.Group) ? DefaultGroup : entry.Group, Description = entry.Description ?? string.Empty }
                : entry);
        }
    }
}
