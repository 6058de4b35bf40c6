using System.Text.Json;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>An import run as the API and the dashboard show it.</summary>
public sealed record ImportRunView(
    Guid Id, string CreatedBy, string FileName, long SizeBytes, string ContentHash, string Layer, string Status,
    int RowsRead, int? RowsTotal, ImportRunCounts Counts, string? CrsUsed, IReadOnlyList<string> Notes, string? Error,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, bool CancelRequested, bool Stalled = false)
{
    /// <summary>"none" for a run that ended well but accepted no row (every row rejected): not to be shown as done.</summary>
    public string Outcome => Status != "succeeded" ? Status
        : Counts.Inserted + Counts.Updated + Counts.Unchanged == 0 && Counts.Rejected + Counts.Conflicts > 0 ? "none" : "succeeded";
}

public sealed record ImportRunCounts(int Inserted, int Updated, int Unchanged, int Rejected, int Conflicts);

public sealed record RejectView(int Row, string? Column, string? Value, string ReasonVi, string ReasonEn, string Kind);

/// <summary>The import_runs table: create, read, list, progress and the rejects of a run.</summary>
public sealed class ImportRuns(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<Hosting.HotspotsOptions> settings)
{
    /// <summary>Whose runs a caller may see: their own (ward leads), or everyone's (null).</summary>
    public static long? VisibleTo(Accounts.Caller caller) => caller.CityWide ? null : caller.UserId;

    private const string Columns = """
        id, created_by, file_name, size_bytes, content_hash, layer, status, rows_read, rows_total, inserted, updated, unchanged,
        rejected, conflicts, crs_used, notes, error, queued_at, started_at, finished_at, cancel_requested,
        status IN ('queued', 'running') AND coalesce(progress_at, queued_at) < now() - make_interval(mins => @stall)
        """;

    /// <summary>Records a queued run and streams its file into the database (an upload is never held whole in memory here).</summary>
    public const int ChunkBytes = 1024 * 1024;

    public async Task CreateAsync(Guid id, string user, long? sender, string fileName, Stream content, long length, string hash, string layer, ImportOptions options, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO import_runs (id, created_by, submitted_by, file_name, size_bytes, content_hash, layer, options)
            VALUES (@id, @user, @sender, @file, @size, @hash, @layer, @options::jsonb);
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("user", user);
            cmd.Parameters.Add(new NpgsqlParameter<long?>("sender", sender));
            cmd.Parameters.AddWithValue("file", fileName);
            cmd.Parameters.AddWithValue("size", length);
            cmd.Parameters.AddWithValue("hash", hash);
            cmd.Parameters.AddWithValue("layer", layer);
            cmd.Parameters.AddWithValue("options", JsonSerializer.Serialize(options));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // In 1 MB pieces, one buffer reused: the file never has to be in memory whole.
        var buffer = new byte[ChunkBytes];
        await using (var chunk = new NpgsqlCommand("INSERT INTO import_file_chunks (run_id, seq, data) VALUES (@id, @seq, @data)", conn, tx))
        {
            chunk.Parameters.AddWithValue("id", id);
            var seq = new NpgsqlParameter<int>("seq", 0);
            var data = new NpgsqlParameter<ReadOnlyMemory<byte>>("data", ReadOnlyMemory<byte>.Empty) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea };
            chunk.Parameters.Add(seq);
            chunk.Parameters.Add(data);
            int read;
            while ((read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
            {
                data.TypedValue = buffer.AsMemory(0, read);
                await chunk.ExecuteNonQueryAsync(ct);
                seq.TypedValue++;
            }
        }
        await tx.CommitAsync(ct);
    }

    /// <param name="sender">Only a run this account sent (a ward lead sees their own runs), or null for any.</param>
    public async Task<ImportRunView?> GetAsync(Guid id, CancellationToken ct, long? sender = null)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM import_runs WHERE id = @id AND (@sender::bigint IS NULL OR submitted_by = @sender)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("stall", settings.Value.ImportStallMinutes);
        cmd.Parameters.Add(new NpgsqlParameter<long?>("sender", sender));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    public async Task<IReadOnlyList<ImportRunView>> ListAsync(int limit, CancellationToken ct, long? sender = null)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM import_runs WHERE @sender::bigint IS NULL OR submitted_by = @sender ORDER BY queued_at DESC LIMIT @limit");
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("stall", settings.Value.ImportStallMinutes);
        cmd.Parameters.Add(new NpgsqlParameter<long?>("sender", sender));
        var list = new List<ImportRunView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }
        return list;
    }

    /// <param name="reason">Only rejects for this reason (its Vietnamese wording), or all.</param>
    public async Task<IReadOnlyList<RejectView>> RejectsAsync(Guid id, CancellationToken ct, string? reason = null, int offset = 0, int limit = int.MaxValue)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT row_number, column_name, value, reason_vi, reason_en, kind FROM import_rejects
            WHERE run_id = @id AND (@reason::text IS NULL OR reason_vi = @reason)
            ORDER BY row_number, kind OFFSET @offset LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("reason", reason));
        cmd.Parameters.AddWithValue("offset", Math.Max(0, offset));
        cmd.Parameters.AddWithValue("limit", (long)Math.Max(0, limit));
        var list = new List<RejectView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RejectView(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.GetString(3), r.GetString(4), r.GetString(5)));
        }
        return list;
    }

    public sealed record ReasonCount(string ReasonVi, string ReasonEn, int Count);

    /// <summary>A run's reasons for rejecting, commonest first: what the imports page filters by.</summary>
    public async Task<IReadOnlyList<ReasonCount>> ReasonsAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT reason_vi, min(reason_en), count(*)::int FROM import_rejects WHERE run_id = @id GROUP BY reason_vi ORDER BY 3 DESC, 1
            """);
        cmd.Parameters.AddWithValue("id", id);
        var list = new List<ReasonCount>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ReasonCount(r.GetString(0), r.GetString(1), r.GetInt32(2)));
        }
        return list;
    }

    /// <summary>Records the Hangfire job that runs the run.</summary>
    public async Task SetJobAsync(Guid id, string jobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE import_runs SET job_id = @job WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("job", jobId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Asks a queued or running run to stop: whether it was still going, and its Hangfire job.</summary>
    public async Task<(bool Requested, string? JobId)> RequestCancelAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE import_runs SET cancel_requested = true,
                   status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                   finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
            WHERE id = @id AND status IN ('queued', 'running')
            RETURNING job_id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (true, r.IsDBNull(0) ? null : r.GetString(0)) : (false, null);
    }

    private static ImportRunView Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetInt32(8), new ImportRunCounts(r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13)),
        r.IsDBNull(14) ? null : r.GetString(14), r.GetFieldValue<string[]>(15), r.IsDBNull(16) ? null : r.GetString(16),
        r.GetFieldValue<DateTimeOffset>(17), r.IsDBNull(18) ? null : r.GetFieldValue<DateTimeOffset>(18),
        r.IsDBNull(19) ? null : r.GetFieldValue<DateTimeOffset>(19), r.GetBoolean(20), r.GetBoolean(21));
}

/// <summary>What the uploader said about the file: its CRS, the sheet to read, a column mapping, the source it updates.</summary>
/// <param name="MappingFrom">Who decided the mapping: "person", "saved" or "proposal" (the API and the page decide before the run).</param>
public sealed record ImportOptions(string? Crs = null, string? Sheet = null, IReadOnlyDictionary<string, string>? Mapping = null, string? Source = null,
    string? MappingFrom = null)
{
    /// <summary>
    /// Why a source a sender names cannot be used, or null: the loaders' own sources (the city's official lists, the
    /// sample, the dashboard, field reports) and another layer's default are not an upload's to write.
    /// </summary>
    public static string? SourceProblem(string? source, Layers.Layer layer)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return null;
        }
        var s = source.Trim();
        if (s.Length > 100 || !System.Text.RegularExpressions.Regex.IsMatch(s, @"^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$"))
        {
            return "source must be up to 100 letters, digits, spaces and . _ : / - (starting with a letter or digit)";
        }
        var key = s.ToLowerInvariant();
        if (key.StartsWith("official:", StringComparison.Ordinal) || key is "sample" or "dashboard" or "field-report"
            || key.StartsWith("import:", StringComparison.Ordinal) && key != $"import:{layer.Id}")
        {
            return "source names one the product's own loaders write (official:…, sample, dashboard, field-report) or another layer's; choose your own";
        }
        return null;
    }

    /// <summary>The source a run's records are keyed under (and its mapping saved for): given, or the layer's own.</summary>
    public string SourceOf(Layers.Layer layer) => string.IsNullOrWhiteSpace(Source) ? $"import:{layer.Id}" : Source.Trim();

    /// <summary>A column mapping as typed by a user ({"column": "field"}); null and no error when empty.</summary>
    public static (Dictionary<string, string>? Mapping, string? Error) ParseMapping(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, null);
        }
        Dictionary<string, string>? mapping;
        try
        {
            mapping = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, "mapping must be a JSON object of file column → field, e.g. {\"Tọa độ N\": \"lat\"}");
        }
        if (mapping is null || mapping.Any(p => p.Value is null))
        {
            return (null, "mapping must be a JSON object of file column → field name (strings), e.g. {\"Tọa độ N\": \"lat\"}");
        }
        return FieldMap.UnknownField(mapping) is { } unknown
            ? (null, $"unknown field '{unknown}'; fields: {string.Join(", ", FieldMap.Aliases.Keys)}")
            : (mapping, null);
    }
}
