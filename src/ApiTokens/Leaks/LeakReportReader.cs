using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ApiTokens;

/// <summary>
/// Reads a leak report's body: a JSON array of strings, at most <see cref="LeakedTokenRevocationOptions.MaxValues"/> of them in at
/// most <see cref="LeakedTokenRevocationOptions.MaxBodySize"/> bytes. The size is enforced while reading (a larger
/// <c>Content-Length</c> is refused before), and the whole body is checked before anything is looked up, so a bad report revokes
/// nothing.
/// </summary>
internal static class LeakReportReader
{
    /// <summary>The values (duplicates kept, in order), or the sentence that says what is wrong.</summary>
    internal readonly record struct Outcome(IReadOnlyList<string>? Values, string? Error);

    public static async Task<Outcome> ReadAsync(HttpRequest request, LeakedTokenRevocationOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodySize)
        {
            return new Outcome(null, Messages.LeakBodyTooLarge(options.MaxBodySize));
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (buffer.Length > options.MaxBodySize)
            {
                reader.AdvanceTo(buffer.End);
                return new Outcome(null, Messages.LeakBodyTooLarge(options.MaxBodySize));
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                var outcome = Parse(buffer, options.MaxValues);
                reader.AdvanceTo(buffer.End);
                return outcome;
            }

            // Nothing consumed yet: ask for more (the whole body stays buffered, at most MaxBodySize and one read).
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses a whole body: strict JSON (no comments, no trailing commas, one value), an array of strings only.</summary>
    internal static Outcome Parse(ReadOnlySequence<byte> body, int maxValues)
    {
        var json = new Utf8JsonReader(body, default(JsonReaderOptions));
        try
        {
            if (!json.Read())
            {
                return new Outcome(null, Messages.LeakMalformed);
            }

            if (json.TokenType != JsonTokenType.StartArray)
            {
                return new Outcome(null, SkipRest(ref json) ? Messages.LeakNotArray : Messages.LeakMalformed);
            }

            var values = new List<string>();
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
            {
                if (json.TokenType != JsonTokenType.String)
                {
                    return new Outcome(null, SkipRest(ref json) ? Messages.LeakValueNotString : Messages.LeakMalformed);
                }

                if (values.Count == maxValues)
                {
                    return new Outcome(null, Messages.LeakTooManyValues(maxValues));
                }

                values.Add(json.GetString()!);
            }

            if (json.TokenType != JsonTokenType.EndArray)
            {
                return new Outcome(null, Messages.LeakMalformed); // the array never closed
            }

            // Anything after the array (a second value) makes the reader throw.
            return json.Read() ? new Outcome(null, Messages.LeakMalformed) : new Outcome(values, null);
        }
        catch (JsonException)
        {
            return new Outcome(null, Messages.LeakMalformed);
        }
        catch (InvalidOperationException)
        {
            return new Outcome(null, Messages.LeakMalformed); // a string that is not valid UTF-8
        }
    }

    /// <summary>Whether the rest of the body is valid JSON, so a wrong shape is told apart from a broken body.</summary>
    private static bool SkipRest(ref Utf8JsonReader json)
    {
        try
        {
            while (json.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
