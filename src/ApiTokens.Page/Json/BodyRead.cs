using Microsoft.AspNetCore.Http;

namespace ApiTokens.Page;

/// <summary>A request body, or the answer to give when it could not be read.</summary>
/// <param name="Value">The body, when it was read.</param>
/// <param name="Failure">The answer, when it was not.</param>
internal readonly record struct BodyRead<T>(T? Value, IResult? Failure)
    where T : class;
