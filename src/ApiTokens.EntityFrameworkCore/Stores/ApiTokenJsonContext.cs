using System.Text.Json.Serialization;

namespace ApiTokens.EntityFrameworkCore;

/// <summary>Source-generated JSON for the list columns (<c>acls</c>, <c>whitelist_ips</c>).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ApiTokenJsonContext : JsonSerializerContext;
