using Microsoft.AspNetCore.Http;

namespace ApiTokens.Whm;

/// <summary>
/// Endpoint metadata that marks a WHM route, so a refusal there is answered as WHM answers it (<see cref="WhmRouteRefusals"/>).
/// On the group <c>MapWhmTokenApi</c> maps it has no command; on a function it names the command and its API 0 shape.
/// </summary>
internal sealed class WhmRouteMetadata(string? command, WhmApi0Shape api0)
{
    /// <summary>The group's marker.</summary>
    public static readonly WhmRouteMetadata Group = new(null, WhmApi0Shape.None);

    /// <summary>The function's name as in <c>metadata.command</c>; <see langword="null"/> on the group's marker.</summary>
    public string? Command { get; } = command;

    /// <summary>How the function answers a WHM API 0 call.</summary>
    public WhmApi0Shape Api0 { get; } = api0;

    /// <summary>The most specific marker on <paramref name="endpoint"/> (a function's over its group's), or <see langword="null"/>.</summary>
    public static WhmRouteMetadata? Find(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        WhmRouteMetadata? found = null;
        foreach (var metadata in endpoint.Metadata.GetOrderedMetadata<WhmRouteMetadata>())
        {
            if (found is null || metadata.Command is not null)
            {
                found = metadata;
            }
        }

        return found;
    }
}
