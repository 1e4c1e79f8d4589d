using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApiTokens.Page;

/// <summary>Source-generated JSON for the page's models: snake_case names as WHM API 1, every property written.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateTokenBody))]
[JsonSerializable(typeof(UpdateTokenBody))]
[JsonSerializable(typeof(CreatedTokenView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(TokenListView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(RevokedView))]
[JsonSerializable(typeof(RotateTokenBody))]
[JsonSerializable(typeof(RotatedTokenView))]
[JsonSerializable(typeof(HistoryView))]
internal sealed partial class PageJsonContext : JsonSerializerContext;
