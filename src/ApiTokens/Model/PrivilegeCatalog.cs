using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace ApiTokens;

/// <summary>
/// The privileges this application knows: WHM's catalogue plus any the host app registered
/// through <see cref="ApiTokenOptions.AdditionalPrivileges"/>.
/// </summary>
public sealed class PrivilegeCatalog
{
    private readonly FrozenDictionary<string, Privilege> _byName;

    /// <summary>Creates the catalogue from WHM's list plus the configured extras.</summary>
    public PrivilegeCatalog(IOptions<ApiTokenOptions> options)
        : this(options?.Value.AdditionalPrivileges ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Creates the catalogue from WHM's list plus <paramref name="additional"/>.</summary>
    public PrivilegeCatalog(IEnumerable<Privilege> additional)
    {
        ArgumentNullException.ThrowIfNull(additional);
        var all = new List<Privilege>(WhmPrivileges.Catalogue);
        var names = new HashSet<string>(all.Select(p => p.Name), StringComparer.Ordinal);
        foreach (var extra in additional)
        {
            if (!PrivilegeNames.IsValidName(extra.Name))
            {
                throw new ArgumentException(
                    $"The privilege name '{extra.Name}' is not valid: use 1 to 64 lower-case letters, digits, '-' or '_'.",
                    nameof(additional));
            }

            if (names.Add(extra.Name))
            {
                all.Add(extra);
            }
        }

        All = all;
        _byName = all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Every known privilege, WHM's first, in catalogue order.</summary>
    public IReadOnlyList<Privilege> All { get; }

    /// <summary>Whether <paramref name="name"/> is a known privilege (exact, case-sensitive).</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Finds a privilege by name, or <see langword="null"/>.</summary>
    public Privilege? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The privileges an account can grant to its tokens: every known privilege when it holds
    /// <c>all</c>, otherwise those it holds, in catalogue order.
    /// </summary>
    public IReadOnlyList<Privilege> GrantableBy(IReadOnlySet<string> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return held.Contains(WhmPrivileges.All) ? All : All.Where(p => held.Contains(p.Name)).ToArray();
    }
}
