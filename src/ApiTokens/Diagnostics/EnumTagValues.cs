using System.Collections.Frozen;
using System.Text;

namespace ApiTokens;

/// <summary>
/// The tag value of each member of <typeparamref name="TEnum"/>, in the snake case OpenTelemetry uses (<c>WrongSecret</c> →
/// <c>wrong_secret</c>), computed once: recording a tag never formats or allocates. A value outside the enum is <c>other</c>.
/// </summary>
internal static class EnumTagValues<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Values =
        Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => SnakeCase(v.ToString()));

    public static string Of(TEnum value) => Values.TryGetValue(value, out var name) ? name : "other";

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
