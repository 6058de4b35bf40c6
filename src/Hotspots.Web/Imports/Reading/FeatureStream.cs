using System.Text.Json;

namespace Hotspots.Imports.Reading;

/// <summary>
/// The features of a GeoJSON FeatureCollection, read from a UTF-8 stream one at a time: only the feature being read
/// (and a read buffer as large as the largest feature) is held, so a 100 MB file does not become a 100 MB document
/// plus its token table. The root's other members are skipped; its "type" is noted for the caller to check.
/// </summary>
internal sealed class FeatureStream(Stream stream)
{
    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, MaxDepth = 256 };

    private enum Where { Start, Root, Features, Done }

    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end; // the bytes not yet read are _buffer[_start.._end]
    private bool _final;
    private JsonReaderState _state = new(Options);
    private Where _where = Where.Start;
    private string? _member; // a root member whose name has been read and whose value has not

    /// <summary>The root said "type": "FeatureCollection".</summary>
    public bool IsFeatureCollection { get; private set; }

    /// <summary>The root had a "features" array.</summary>
    public bool HasFeatures { get; private set; }

    /// <summary>The next feature (any JSON value the array holds), or null after the last.</summary>
    /// <exception cref="JsonException">The file is not JSON, or ends early.</exception>
    /// <exception cref="UnreadableFileException">The root is not an object, or its "features" not an array.</exception>
    public JsonDocument? Next()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            var (complete, feature) = Step(ref reader);
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (complete)
            {
                return feature;
            }
            if (_final)
            {
                throw new JsonException("The file ends before its JSON does.", null, null, null);
            }
            Fill();
        }
    }

    // Reads whole units only (a member's name with its value, or a whole feature); false when the buffer ends first.
    private (bool Complete, JsonDocument? Feature) Step(ref Utf8JsonReader reader)
    {
        while (true)
        {
            var next = reader;
            switch (_where)
            {
                case Where.Done:
                    return (true, null);
                case Where.Start:
                    if (!next.Read())
                    {
                        return (false, null);
                    }
                    if (next.TokenType != JsonTokenType.StartObject)
                    {
                        throw NotACollection();
                    }
                    _where = Where.Root;
                    break;
                case Where.Root when _member is null:
                    if (!next.Read())
                    {
                        return (false, null);
                    }
                    if (next.TokenType == JsonTokenType.EndObject)
                    {
                        _where = Where.Done;
                    }
                    else
                    {
                        _member = next.GetString();
                    }
                    break;
                case Where.Root:
                    if (!next.Read())
                    {
                        return (false, null);
                    }
                    if (_member == "features")
                    {
                        if (next.TokenType != JsonTokenType.StartArray)
                        {
                            throw NotACollection();
                        }
                        HasFeatures = true;
                        _where = Where.Features;
                    }
                    else if (_member == "type" && next.TokenType == JsonTokenType.String)
                    {
                        IsFeatureCollection = next.ValueTextEquals("FeatureCollection"u8);
                    }
                    else if (!next.TrySkip())
                    {
                        return (false, null);
                    }
                    _member = null;
                    break;
                default: // in "features"
                    if (!next.Read())
                    {
                        return (false, null);
                    }
                    if (next.TokenType == JsonTokenType.EndArray)
                    {
                        _where = Where.Root;
                        break;
                    }
                    var whole = next;
                    if (!whole.TrySkip())
                    {
                        return (false, null);
                    }
                    reader = next;
                    return (true, JsonDocument.ParseValue(ref reader));
            }
            reader = next;
        }
    }

    // Keeps the unread bytes, moved to the front; a feature larger than the buffer doubles it.
    private void Fill()
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        }
        (_start, _end) = (0, unread);
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _final = read == 0;
    }

    private static UnreadableFileException NotACollection() =>
        new("Tệp GeoJSON phải là một FeatureCollection.", "The GeoJSON file must be a FeatureCollection.");
}
