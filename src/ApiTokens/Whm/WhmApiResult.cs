using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace ApiTokens.Whm;

/// <summary>
/// A WHM answer: HTTP 200 with the API 1 envelope <c>{"metadata":{"command","version":1,"result","reason"},"data":…}</c>,
/// for success (<c>result</c> 1) and for a refused call (<c>result</c> 0, a human reason, <c>data</c> <c>{}</c>); or, for a
/// call without <c>api.version</c> to a function mapped with a <see cref="WhmApi0Shape"/>, the same members in that API 0
/// shape (<see cref="WhmApi.Handler(string, WhmApi0Shape, Func{HttpContext, WhmApiParameters, Task{WhmApiResult}})"/> picks).
/// Written with <see cref="Utf8JsonWriter"/> straight to the response; never cached.
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

    /// <summary>A success with an empty <c>data</c> object.</summary>
    public static WhmApiResult Success(string command) => Success(command, writeData: null);

    /// <summary>A success whose <c>data</c> object's members are written by <paramref name="writeData"/> (<c>{}</c> when null).</summary>
    public static WhmApiResult Success(string command, Action<Utf8JsonWriter>? writeData) =>
        new(command, succeeded: true, OkReason, writeData, omitData: false);

    /// <summary>
    /// A success with a reason of its own (<c>metadata.reason</c>, and <c>statusmsg</c> in API 0: WHM's <c>listaccts</c> says
    /// <c>Ok</c>, its <c>createacct</c> <c>Account Creation Ok</c>).
    /// </summary>
    public static WhmApiResult Success(string command, string reason, Action<Utf8JsonWriter>? writeData) =>
        new(command, succeeded: true, reason, writeData, omitData: false);

    /// <summary>A success with no <c>data</c> member at all (WHM's answer to a lookup that found nothing).</summary>
    public static WhmApiResult SuccessWithoutData(string command) =>
        new(command, succeeded: true, OkReason, null, omitData: true);

    /// <summary>A refused call: <c>result</c> 0, <paramref name="reason"/>, <c>data</c> <c>{}</c>.</summary>
    public static WhmApiResult Failure(string command, string reason) =>
        new(command, succeeded: false, reason, null, omitData: false);

    /// <summary>Writes the API 1 envelope to <paramref name="writer"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer) => WriteTo(writer, WhmApi0Shape.None);

    /// <summary>
    /// Writes the answer in <paramref name="api0"/>'s shape, or the API 1 envelope for <see cref="WhmApi0Shape.None"/>.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer, WhmApi0Shape api0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (api0)
        {
            case WhmApi0Shape.None:
                WriteApi1(writer);
                break;
            case WhmApi0Shape.ResultList:
                writer.WriteStartObject();
                writer.WriteStartArray("result");
                writer.WriteStartObject();
                WriteStatus(writer);
                WriteDataMembers(writer);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case WhmApi0Shape.Data or WhmApi0Shape.Status:
                writer.WriteStartObject();
                WriteDataMembers(writer);
                if (api0 == WhmApi0Shape.Status || !Succeeded)
                {
                    WriteStatus(writer);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(api0), api0, null);
        }
    }

    private void WriteStatus(Utf8JsonWriter writer)
    {
        writer.WriteNumber("status", Succeeded ? 1 : 0);
        writer.WriteString("statusmsg", Reason);
    }

    /// <summary>API 0 has no <c>data</c> object: the members stand where the shape puts them (a failure has none).</summary>
    private void WriteDataMembers(Utf8JsonWriter writer)
    {
        if (Succeeded)
        {
            _writeData?.Invoke(writer);
        }
    }

    private void WriteApi1(Utf8JsonWriter writer)
    {
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

    /// <summary>Serializes the API 1 envelope to a UTF-8 JSON string (for tests and logs of shape, never of tokens).</summary>
    public string ToJson() => ToJson(WhmApi0Shape.None);

    /// <summary>Serializes the answer in <paramref name="api0"/>'s shape (the API 1 envelope for <see cref="WhmApi0Shape.None"/>).</summary>
    public string ToJson(WhmApi0Shape api0)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            WriteTo(writer, api0);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the API 1 envelope with HTTP 200.</summary>
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => ExecuteAsync(httpContext, WhmApi0Shape.None, StatusCodes.Status200OK);

    /// <summary>Writes the answer in <paramref name="api0"/>'s shape with <paramref name="statusCode"/>.</summary>
    internal async Task ExecuteAsync(HttpContext httpContext, WhmApi0Shape api0, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            WriteTo(writer, api0); // into the pipe's buffer: no I/O until the flush below
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
