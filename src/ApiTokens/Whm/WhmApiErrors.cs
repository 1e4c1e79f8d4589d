using System.Globalization;

namespace ApiTokens.Whm;

/// <summary>
/// The user-facing reasons of the WHM API layer itself (bad parameters), written once.
/// Token rules have their wording in <see cref="ApiTokenErrors"/>.
/// </summary>
public static class WhmApiErrors
{
    /// <summary>A required parameter is missing or empty.</summary>
    public static string MissingParameter(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"The parameter “{name}” is required. Add {name}=… to the query string or form body.");

    /// <summary>An <c>expires_at</c> that is not a Unix time.</summary>
    public static string InvalidExpiry(string value) =>
        string.Create(CultureInfo.InvariantCulture, $"The expiration time “{Shorten(value)}” is not valid. Give a Unix time in seconds (for example 1893456000), or 0 for a token that never expires.");

    /// <summary>An <c>api.version</c> other than 1.</summary>
    public static string UnsupportedVersion(string value) =>
        string.Create(CultureInfo.InvariantCulture, $"The API version “{Shorten(value)}” is not supported. Use api.version=1.");

    /// <summary>A request body that is not a readable form.</summary>
    public const string UnreadableBody =
        "The request body could not be read as a form. Send parameters in the query string or as application/x-www-form-urlencoded or multipart/form-data.";

    /// <summary>A parameter value that is not a whole number.</summary>
    public static string InvalidInteger(string name, string value) =>
        string.Create(CultureInfo.InvariantCulture, $"The parameter “{name}” must be a whole number, not “{Shorten(value)}”.");

    /// <summary>Keeps echoed input short enough for a reason line.</summary>
    internal static string Shorten(string value) => ApiTokenErrors.Shorten(value);
}
