using System.Text.Json.Serialization;

namespace ApiTokens.Redis.Internal;

/// <summary>Source-generated JSON for <see cref="RedisBackplaneMessage"/>.</summary>
[JsonSerializable(typeof(RedisBackplaneMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RedisBackplaneJsonContext : JsonSerializerContext;
