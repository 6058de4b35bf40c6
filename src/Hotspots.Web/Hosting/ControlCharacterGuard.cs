using System.Buffers;
using System.Text.RegularExpressions;

namespace Hotspots.Hosting;

/// <summary>
/// Text with NUL or another control character (but tab and line breaks) is refused at the door — in the query, in
/// a form, in a JSON body — with a 400 naming where it was, before any of it reaches PostgreSQL (which refuses NUL
/// in text with an error that used to become a 500) or a stored record. Uploaded files are checked row by row by
/// the import instead.
/// </summary>
public static partial class ControlCharacterGuard
{
    private const int MaxInspectedBytes = 1 << 20;

    private static readonly SearchValues<char> Raw = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\u000B\f\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    // The same characters as JSON escapes (a JSON string cannot hold them raw): \u0000–\u0008, \u000B, \u000C, \u000E–\u001F, \u007F.
    [GeneratedRegex(@"\\u00(0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")]
    private static partial Regex JsonEscape();

    public static bool Holds(string? text) => text is not null && text.AsSpan().IndexOfAny(Raw) >= 0;

    /// <summary>
    /// Text the product writes about input (an error quoting a file) made safe to store: control characters become
    /// U+FFFD (PostgreSQL refuses NUL) and it is cut at <paramref name="max"/> characters.
    /// </summary>
    public static string Scrub(string text, int max = 2000)
    {
        if (text.Length > max)
        {
            text = text[..max] + "…";
        }
        if (!Holds(text))
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (Raw.Contains(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    public static void UseControlCharacterGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        foreach (var (name, values) in request.Query)
        {
            if (values.Any(Holds) || Holds(name))
            {
                await Refuse(context, name);
                return;
            }
        }
        if (request.HasJsonContentType() && request.ContentLength is null or <= MaxInspectedBytes)
        {
            request.EnableBuffering(MaxInspectedBytes);
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            var buffer = ArrayPool<char>.Shared.Rent(MaxInspectedBytes);
            try
            {
                var read = await reader.ReadBlockAsync(buffer.AsMemory(0, MaxInspectedBytes), context.RequestAborted);
                request.Body.Position = 0;
                if (JsonEscape().IsMatch(buffer.AsSpan(0, read)))
                {
                    await Refuse(context, "body");
                    return;
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
        else if (request.HasFormContentType && !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            foreach (var (name, values) in form)
            {
                if (values.Any(Holds))
                {
                    await Refuse(context, name);
                    return;
                }
            }
        }
        await next(context);
    });

    private static Task Refuse(HttpContext context, string parameter) =>
        Problems.BadParameter(parameter, "text must not hold NUL or other control characters").ExecuteAsync(context);
}
