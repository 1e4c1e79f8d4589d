using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Whm;

/// <summary>
/// A WHM API 1 answer: HTTP 200 with <c>{"metadata":{"command","version":1,"result","reason"},"data":…}</c>,
/// for success (<c>result</c> 1) and for a refused call (<c>result</c> 0, a human reason, <c>data</c> <c>{}</c>).
/// Written with <see cref="Utf8JsonWriter"/>; never cached.
/// </summary>
public sealed class WhmApiResult : IResult
{
    /// <summary>The reason of every successful call.</summary>
    public const string OkReason = "OK";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Allows WHM's typographic quotes (“ ”) unescaped; HTML-sensitive characters stay escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private readonly Action<Utf8JsonWriter>? _writeData;
    private readonly bool _omitData;

    private WhmApiResult(string command, bool succeeded, string reason, Action<Utf8JsonWriter>? writeData, bool omitData)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(reason);
        Command = command;
        Succeeded = succeeded;
        Reason = reason;
        _writeData = writeData;
        _omitData = omitData;
    }

    /// <summary>The function name, as in <c>metadata.command</c>.</summary>
    public string Command { get; }

    /// <summary>Whether <c>metadata.result</c> is 1.</summary>
    public bool Succeeded { get; }

    /// <summary>The <c>metadata.reason</c>.</summary>
    public string Reason { get; }

    /// <summary>A success whose <c>data</c> object's members are written by <paramref name="writeData"/> (<c>{}</c> when null).</summary>
    public static WhmApiResult Success(string command, Action<Utf8JsonWriter>? writeData = null) =>
        new(command, succeeded: true, OkReason, writeData, omitData: false);

    /// <summary>A success with no <c>data</c> member at all (WHM's answer to a lookup that found nothing).</summary>
    public static WhmApiResult SuccessWithoutData(string command) =>
        new(command, succeeded: true, OkReason, null, omitData: true);

    /// <summary>A refused call: <c>result</c> 0, <paramref name="reason"/>, <c>data</c> <c>{}</c>.</summary>
    public static WhmApiResult Failure(string command, string reason) =>
        new(command, succeeded: false, reason, null, omitData: false);

    /// <summary>Writes the envelope to <paramref name="writer"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteString("command", Command);
        writer.WriteNumber("version", 1);
        writer.WriteNumber("result", Succeeded ? 1 : 0);
        writer.WriteString("reason", Reason);
        writer.WriteEndObject();
        if (!_omitData)
        {
            writer.WriteStartObject("data");
            _writeData?.Invoke(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Serializes the envelope to a UTF-8 JSON string (for tests and logs of shape, never of tokens).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            WriteTo(writer); // into the pipe's buffer: no I/O until the flush below
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
