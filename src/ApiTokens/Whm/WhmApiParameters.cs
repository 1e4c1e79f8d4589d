using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ApiTokens.Whm;

/// <summary>
/// The parameters of a WHM API 1 call: the query string and, for a form post, the form body, merged
/// (a name given in both has the values of both, query first). Names are case-sensitive, as in WHM.
/// </summary>
public sealed class WhmApiParameters
{
    private readonly Dictionary<string, List<string>> _values;

    /// <summary>Creates a parameter set from name/value pairs, in order.</summary>
    public WhmApiParameters(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in pairs)
        {
            if (!_values.TryGetValue(name, out var list))
            {
                list = [];
                _values[name] = list;
            }

            foreach (var value in values)
            {
                list.Add(value ?? string.Empty);
            }
        }
    }

    /// <summary>Every parameter name given.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>
    /// Reads the query string and, when the request has a form content type, the form body.
    /// A body that cannot be read as a form throws <see cref="InvalidDataException"/> or
    /// <see cref="BadHttpRequestException"/>; <c>WhmApi.Handler</c> turns that into a WHM error.
    /// </summary>
    public static async Task<WhmApiParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        IEnumerable<KeyValuePair<string, StringValues>> pairs = request.Query;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            pairs = pairs.Concat(form);
        }

        return new WhmApiParameters(pairs);
    }

    /// <summary>Whether the parameter was given at all (even empty).</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The first value of a parameter, or <see langword="null"/> when it was not given.</summary>
    public string? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out var list) && list.Count > 0 ? list[0] : null;
    }

    /// <summary>
    /// A repeated parameter in WHM's form: <c>name</c>, <c>name-1</c>, <c>name-2</c>… (and repeated
    /// <c>name=</c> pairs), in that order, empty values dropped. <see langword="null"/> when none of
    /// those names was given; an empty list when they were given but all empty.
    /// </summary>
    public IReadOnlyList<string>? GetList(string name)
    {
        var raw = GetRawList(name);
        if (raw is null)
        {
            return null;
        }

        var result = new List<string>();
        foreach (var value in raw)
        {
            var trimmed = value.Trim();
            if (trimmed.Length > 0)
            {
                result.Add(trimmed);
            }
        }

        return result;
    }

    /// <summary>
    /// The values of a repeated parameter as <see cref="GetList"/> reads them, but untrimmed and with empty values kept.
    /// <see langword="null"/> when none of those names was given.
    /// </summary>
    internal IReadOnlyList<string>? GetRawList(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var found = false;
        var numbered = new List<(long Index, List<string> Values)>();
        List<string>? plain = null;
        foreach (var (key, values) in _values)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                found = true;
                plain = values;
            }
            else if (TryParseIndex(key, name, out var index))
            {
                found = true;
                numbered.Add((index, values));
            }
        }

        if (!found)
        {
            return null;
        }

        numbered.Sort((a, b) => a.Index.CompareTo(b.Index));
        return (plain ?? []).Concat(numbered.SelectMany(n => n.Values)).ToList();
    }

    /// <summary>
    /// The first key of the form <c>name-…</c> whose suffix is not an index that <see cref="GetList"/> reads (<c>acl-x</c>,
    /// <c>acl-</c>, <c>acl-99999999999999999999</c>), or <see langword="null"/> when there is none. A caller refuses such a key
    /// rather than read the call as if it had not been given (for <c>acl</c> that would mean full access).
    /// </summary>
    internal string? FindMalformedIndex(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _values.Keys.FirstOrDefault(key =>
            key.Length > name.Length
            && key.StartsWith(name, StringComparison.Ordinal)
            && key[name.Length] == '-'
            && !TryParseIndex(key, name, out _));
    }

    private static bool TryParseIndex(string key, string name, out long index)
    {
        index = 0;
        return key.Length > name.Length + 1
            && key.StartsWith(name, StringComparison.Ordinal)
            && key[name.Length] == '-'
            && key.AsSpan(name.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(key.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
