using System.Diagnostics.CodeAnalysis;

namespace ApiTokens;

/// <summary>The outcome of a token operation: a value, or an <see cref="ApiTokenError"/>.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly record struct ApiTokenResult<T>
{
    private ApiTokenResult(T? value, ApiTokenError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The error, when not <see cref="Succeeded"/>.</summary>
    public ApiTokenError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static ApiTokenResult<T> Success(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static ApiTokenResult<T> Failure(ApiTokenError error) =>
        new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Converts an error into a failed result.</summary>
    public static implicit operator ApiTokenResult<T>(ApiTokenError error) => Failure(error);
}
