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

    // Reads one feature from just before its first token, or returns false (reader untouched) when the buffer ends first.
    private delegate bool Take(ref Utf8JsonReader reader);

    /// <summary>The next feature (any JSON value the array holds), or null after the last.</summary>
    /// <exception cref="JsonException">The file is not JSON, or ends early.</exception>
    /// <exception cref="UnreadableFileException">The root is not an object, or its "features" not an array.</exception>
    public JsonDocument? Next()
    {
        JsonDocument? document = null;
        return Advance((ref Utf8JsonReader reader) =>
        {
            var feature = reader;
            if (!feature.Read() || !JsonDocument.TryParseValue(ref feature, out document))
            {
                return false;
            }
            reader = feature;
            return true;
        }) ? document : null;
    }

    /// <summary>
    /// The next feature's property names, in the file's order, and whether it has an "id", read without building the
    /// feature (the column pass); false after the last. A feature cut by the buffer's end is read again from its
    /// start, so a name may be given twice.
    /// </summary>
    public bool NextNames(Action<string> name, out bool hasId)
    {
        var id = false;
        var found = Advance((ref Utf8JsonReader reader) =>
        {
            var feature = reader;
            if (!Names(ref feature, name, out id))
            {
                return false;
            }
            reader = feature;
            return true;
        });
        hasId = id;
        return found;
    }

    private bool Advance(Take take)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            var (complete, atFeature) = Step(ref reader);
            complete = complete && (!atFeature || take(ref reader));
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (complete)
            {
                return atFeature;
            }
            if (_final)
            {
                throw new JsonException("The file ends before its JSON does.", null, null, null);
            }
            Fill();
        }
    }

    // One feature's member names under "properties", in one pass; false when the buffer ends within it.
    private static bool Names(ref Utf8JsonReader feature, Action<string> name, out bool hasId)
    {
        hasId = false;
        if (!feature.Read())
        {
            return false;
        }
        if (feature.TokenType != JsonTokenType.StartObject)
        {
            return feature.TrySkip();
        }
        while (true)
        {
            if (!feature.Read())
            {
                return false;
            }
            if (feature.TokenType != JsonTokenType.PropertyName)
            {
                return true; // the feature's end
            }
            var properties = feature.ValueTextEquals("properties"u8);
            hasId |= feature.ValueTextEquals("id"u8);
            if (!feature.Read())
            {
                return false;
            }
            if (!properties || feature.TokenType != JsonTokenType.StartObject)
            {
                if (!feature.TrySkip())
                {
                    return false;
                }
                continue;
            }
            while (true)
            {
                if (!feature.Read())
                {
                    return false;
                }
                if (feature.TokenType != JsonTokenType.PropertyName)
                {
                    break;
                }
                name(feature.GetString()!);
                if (!feature.Read() || !feature.TrySkip())
                {
                    return false;
                }
            }
        }
    }

    // Reads whole units only (a member's name with its value); not complete when the buffer ends first. At a feature
    // it stops just before the feature's first token.
    private (bool Complete, bool AtFeature) Step(ref Utf8JsonReader reader)
    {
        while (true)
        {
            var next = reader;
            switch (_where)
            {
                case Where.Done:
                    return (true, false);
                case Where.Start:
                    if (!next.Read())
                    {
                        return (false, false);
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
                        return (false, false);
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
                        return (false, false);
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
                        return (false, false);
                    }
                    _member = null;
                    break;
                default: // in "features"
                    if (!next.Read())
                    {
                        return (false, false);
                    }
                    if (next.TokenType == JsonTokenType.EndArray)
                    {
                        _where = Where.Root;
                        break;
                    }
                    return (true, true); // the reader stays before the feature: Take reads it whole, or not at all
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
