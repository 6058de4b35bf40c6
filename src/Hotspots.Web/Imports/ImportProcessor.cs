using System.Text.Json;
using Hotspots.Database;
using Hotspots.Imports.Mapping;
using Hotspots.Imports.Reading;
using Hotspots.Layers;
using Hotspots.Snapshots;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Imports;

/// <summary>
/// Runs one import: reads the stored file, validates row by row while streaming the good rows into staging, then
/// applies everything in the same transaction (ImportWriter) and records the outcome. Safe to run again for the
/// same run (after a crash Hangfire runs the job again): the previous attempt left nothing, and this one starts over.
/// </summary>
public sealed partial class ImportProcessor(NpgsqlDataSource dataSource, SnapshotRefresher refresher, Accounts.AccountStore accounts, TimeProvider time,
    ImportPlaces places, SavedMappings mappings, Deadlines.DeadlineDefaults deadlines, ILogger<ImportProcessor> logger)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);
    private const int BatchRows = 1024;

    /// <param name="attempt">How many times the job was retried already (ImportJob); a transient failure on the last
    /// attempt ends the run as failed instead of asking for another.</param>
    public async Task RunAsync(Guid runId, int attempt, CancellationToken ct)
    {
        var run = await StartAsync(runId, ct);
        if (run is null)
        {
            return; // cancelled while queued, or already finished
        }
        var (layerId, optionsJson, fileName, user, sender) = run.Value;
        try
        {
            // The sender's wards as they are now (a ward taken away since the upload no longer counts).
            IReadOnlyCollection<string>? scope = null;
            if (sender is { } senderId)
            {
                var caller = await accounts.CallerAsync(senderId, null, ct);
                if (caller is not { Edits: true })
                {
                    throw new UnreadableFileException("Tài khoản gửi tệp đã bị khóa hoặc không còn quyền nhập.", "The account that sent the file is disabled or may no longer import.");
                }
                scope = caller.WardScope;
            }
            var layer = LayerCatalog.FindImportable(layerId) ?? throw new UnreadableFileException($"Lớp '{layerId}' không tồn tại.", $"Unknown layer '{layerId}'.");
            var options = JsonSerializer.Deserialize<ImportOptions>(optionsJson) ?? new ImportOptions();
            await using var content = await ContentAsync(runId, ct);
            ImportWriter.Counts counts;
            try
            {
                counts = await ImportAsync(runId, layer, options, fileName, user, scope, content, ct);
            }
            catch (RepeatedIdsException)
            {
                // A new source's file repeats an id: imported again the staged way, which reports each repeat. (The
                // reader has closed the first copy of the file.)
                await using var again = await ContentAsync(runId, ct);
                counts = await ImportAsync(runId, layer, options, fileName, user, scope, again, ct, bulk: false);
            }
            LogDone(logger, runId, fileName, counts.Inserted, counts.Updated, counts.Unchanged, counts.Rejected, counts.Conflicts);
            if (counts.Inserted + counts.Updated > 0 && layer != LayerCatalog.Rainfall)
            {
                await refresher.RefreshAsync(CancellationToken.None);
            }
        }
        catch (UnreadableFileException e)
        {
            await FinishAsync(runId, "failed", $"{e.MessageVi} / {e.Message}");
        }
        catch (OperationCanceledException)
        {
            if (!await CancelRequestedAsync(runId))
            {
                throw; // the node is stopping: Hangfire puts the job back and a node runs it again from the start
            }
            await FinishAsync(runId, "cancelled", null);
        }
        catch (Exception e) when (TransientFailure.Is(e) && attempt < ImportJob.Retries)
        {
            LogRetrying(logger, runId, attempt + 1, e.Message);
            throw; // Hangfire runs it again after a pause
        }
        catch (Exception e) when (TransientFailure.Is(e))
        {
            await FinishAsync(runId, "failed", $"Không kết nối được cơ sở dữ liệu sau {attempt + 1} lần thử: {e.Message} / The database could not be reached after {attempt + 1} attempts.");
        }
        catch (Exception e)
        {
            // A fault of the product, not of the file or the network: trying again would fail the same way.
            LogCrashed(logger, e, runId);
            await FinishAsync(runId, "failed", $"Lỗi nội bộ khi nhập ({e.GetType().Name}): {e.Message} / Internal error while importing.");
        }
    }

    /// <summary>
    /// What importing the file with these options would do, by the run's own reading, checks and counting, inside a
    /// transaction that is rolled back: the counts equal a run's for the same file, mapping and sender.
    /// </summary>
    public async Task<ImportPreview> PreviewAsync(Layer layer, ImportOptions options, string fileName, Stream content, Accounts.Caller sender, CancellationToken ct)
    {
        var sink = new PreviewSink();
        try
        {
            await ImportAsync(Guid.CreateVersion7(), layer, options, fileName, sender.Email, sender.WardScope, content, ct, sink);
            return sink.Result();
        }
        catch (UnreadableFileException e)
        {
            return sink.Failed(e);
        }
    }

    private async Task<(string Layer, string Options, string FileName, string User, long? Sender)?> StartAsync(Guid runId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            DELETE FROM import_rejects WHERE run_id = @id;
            UPDATE import_runs SET status = 'running', started_at = now(), progress_at = now(), rows_read = 0, rows_total = NULL, inserted = 0, updated = 0,
                   unchanged = 0, rejected = 0, conflicts = 0, notes = '{}', error = NULL
            WHERE id = @id AND status IN ('queued', 'running') AND NOT cancel_requested
            RETURNING layer, options::text, file_name, created_by, submitted_by;
            """);
        cmd.Parameters.AddWithValue("id", runId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4)) : null;
    }

    // The stored file is copied, piece by piece, to a temporary file as it streams out of PostgreSQL (sequential
    // access: Npgsql holds no copy of a row), so a 100 MB upload costs the worker disk, not memory. Deleted when closed.
    private async Task<FileStream> ContentAsync(Guid runId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT data FROM import_file_chunks WHERE run_id = @id ORDER BY seq");
        cmd.Parameters.AddWithValue("id", runId);
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (!await r.ReadAsync(ct))
        {
            throw new UnreadableFileException("Tệp của lần nhập này không còn.", "The file of this run is no longer stored.");
        }
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"hotspots-import-{runId:N}-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            do
            {
                await using var piece = await r.GetStreamAsync(0, ct);
                await piece.CopyToAsync(file, 64 * 1024, ct);
            }
            while (await r.ReadAsync(ct));
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<ImportWriter.Counts> ImportAsync(Guid runId, Layer layer, ImportOptions options, string fileName, string user,
        IReadOnlyCollection<string>? scope, Stream content, CancellationToken ct, PreviewSink? preview = null, bool bulk = true)
    {
        if (layer == LayerCatalog.Projects)
        {
            throw new UnreadableFileException("Lớp dự án không nhập từ tệp ở đây.", "The projects layer is not imported from files.");
        }
        if (layer == LayerCatalog.Rainfall)
        {
            return await RainAsync(runId, options, fileName, user, content, preview, ct);
        }
        var notes = new List<string>();
        var (header, allRows, encoding) = ImportFile.Read(fileName, content, options.Sheet, notes);
        if (FieldMap.UnknownField(options.Mapping) is { } unknown)
        {
            throw new UnreadableFileException($"Ánh xạ cột có trường không biết: '{unknown}'.", $"The column mapping names an unknown field '{unknown}'.");
        }
        notes.Add($"Mã hóa: {encoding}");
        var declared = Crs.Parse(options.Crs);
        if (options.Crs is not null && declared is null)
        {
            throw new UnreadableFileException($"Hệ tọa độ '{options.Crs}' không được hỗ trợ.", $"Unsupported CRS '{options.Crs}'; use EPSG:4326, EPSG:3405 or VN2000-TM3-105.");
        }
        var source = options.SourceOf(layer);
        var (sample, rows) = ImportFile.Peek(allRows, MappingProposer.SampleRows);
        var crosswalk = preview is null ? await places.FreshCrosswalkAsync(ct) : await places.CrosswalkAsync(ct);
        var decided = MappingDecision.Decide(layer, header, sample, crosswalk, options, options.Mapping is null ? await mappings.GetAsync(source, ct) : null);
        preview?.Decided(decided);
        if (!decided.Map.HasPlace && !decided.Proposal.HasGeometry)
        {
            throw MappingDecision.Unplaceable(header);
        }
        var map = decided.Map;
        if (layer == LayerCatalog.FieldReports && map.ColumnOf("description") is null && map.ColumnOf("title") is null)
        {
            throw ReportRows.Wordless(header);
        }
        notes.Add(decided.Note(layer));
        var validator = new RowValidator(layer, map, declared, time.GetUtcNow(), crosswalk,
            preview is null ? await WardLocator.LoadAsync(dataSource, ct) : await places.LocatorAsync(ct));
        // A field report is placed by the same rules, and checked and written as a report (ReportRows, ReportWriter).
        var reports = layer == LayerCatalog.FieldReports ? new ReportRows(validator, map, time.GetUtcNow()) : null;
        using var rejects = new RejectSpool();
        var read = 0;

        var started = time.GetTimestamp();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await BeginAsync(conn, tx, runId, user, fileName, layer, source, preview is not null, ct);
        // A new source's first load goes straight into the layer (ImportWriter.BulkAsync); details need the staged way.
        bulk = bulk && reports is null && preview is null && !HasDetails(map, layer) && await ImportWriter.IsNewSourceAsync(conn, tx, source, ct);
        var lastProgress = time.GetTimestamp();
        IEnumerable<ImportRecord> Accepted()
        {
            foreach (var row in rows)
            {
                read++;
                if (preview is null && (read & 1023) == 0 && time.GetElapsedTime(lastProgress) >= ProgressEvery)
                {
                    ProgressAsync(runId, read, ct).GetAwaiter().GetResult(); // throws when a cancel was asked for
                    lastProgress = time.GetTimestamp();
                }
                var (record, reject) = reports is not null ? reports.Validate(row) : validator.Validate(row);
                if ((bulk || reports is not null) && scope is not null && record is { WardCode: { } ward } && !scope.Contains(ward))
                {
                    reject = OutsideScope(row.Number, ward, crosswalk);
                    record = null;
                }
                preview?.Row(row.Number, record, reject);
                if (reject is not null)
                {
                    rejects.Add(reject);
                }
                else
                {
                    yield return record!;
                }
            }
        }
        // Reading and checking rows (one thread) overlaps with sending the good ones to PostgreSQL (this one). They
        // pass in batches: handing over rows one by one cost more in waking threads than the rows themselves.
        var accepted = System.Threading.Channels.Channel.CreateBounded<ImportRecord[]>(
            new System.Threading.Channels.BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in Accepted().Chunk(BatchRows))
                {
                    await accepted.Writer.WriteAsync(batch, ct);
                }
                accepted.Writer.TryComplete();
            }
            catch (Exception e)
            {
                // Also when the sending side failed and closed the channel: its error is the one reported.
                accepted.Writer.TryComplete(e);
            }
        }, ct);
        async IAsyncEnumerable<ImportRecord> Unbatched()
        {
            await foreach (var batch in accepted.Reader.ReadAllAsync(ct))
            {
                foreach (var record in batch)
                {
                    yield return record;
                }
            }
        }
        var copied = 0;
        try
        {
            if (bulk)
            {
                copied = await ImportWriter.BulkAsync(conn, tx, Unbatched(), runId, layer, source, await deadlines.LoadAsync(ct), ct);
            }
            else if (reports is not null)
            {
                copied = await ReportWriter.StageAsync(conn, tx, Unbatched(), ct);
            }
            else
            {
                await ImportWriter.StageAsync(conn, tx, Unbatched(), ct);
            }
        }
        catch (PostgresException e) when (bulk && e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "hotspots_natural_key" })
        {
            throw new RepeatedIdsException();
        }
        finally
        {
            accepted.Writer.TryComplete();
            await producer;
        }
        if (preview is null)
        {
            await ProgressAsync(runId, read, ct);
        }
        await WriteRejectsAsync(conn, runId, rejects, ct);
        var staged = time.GetElapsedTime(started);

        var counts = bulk ? new ImportWriter.Counts(copied, 0, 0, rejects.Count, 0)
            : reports is not null ? await ReportWriter.ApplyAsync(conn, tx, runId, source, copied, rejects.Count, ct)
            : await ImportWriter.ApplyAsync(conn, tx, runId, layer, source, user, fileName, rejects.Count, scope, validator.DetailedRows > 0, ct, dryRun: preview is not null);
        notes.Add(bulk
            ? FormattableString.Invariant($"Thời gian: đọc, kiểm tra và ghi thẳng vào lớp (lần nạp đầu của nguồn) {time.GetElapsedTime(started).TotalSeconds:0.0} s")
            : FormattableString.Invariant($"Thời gian: đọc, kiểm tra và đưa vào vùng đệm {staged.TotalSeconds:0.0} s; ghi vào lớp {(time.GetElapsedTime(started) - staged).TotalSeconds:0.0} s"));
        if (preview is null && reports is null
            && await LikelyDuplicates.NoteAsync(conn, tx, runId, layer.Category!, source, counts.Inserted, time.GetUtcNow(), ct) is { } duplicates)
        {
            notes.Add(duplicates);
        }
        notes.AddRange(ValidatorNotes(validator, options));
        notes.AddRange(reports?.Notes() ?? []);
        if (preview is not null)
        {
            await preview.FinishAsync(conn, tx, runId, read, counts, notes, crosswalk, ct);
            return counts; // the transaction is rolled back: a preview writes nothing
        }
        await SucceedAsync(conn, tx, runId, read, counts, validator.Crs?.Code, notes, ct);
        return counts;
    }

    // A preview's rejects are written like a run's (and rolled back with everything else): it needs a run to hang them
    // on. A run holds its source's lock: two files updating the same records are applied one after the other.
    private static async Task BeginAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, string user, string fileName, Layer layer, string source,
        bool preview, CancellationToken ct)
    {
        if (preview)
        {
            await conn.ExecAsync("INSERT INTO import_runs (id, created_by, file_name, size_bytes, content_hash, layer) VALUES (@id, @user, @file, 0, '', @layer)",
                tx, ct, ("id", runId), ("user", user), ("file", fileName), ("layer", layer.Id));
        }
        else
        {
            await conn.ExecAsync("SELECT pg_advisory_xact_lock(hashtext('import:' || @source))", tx, ct, ("source", source));
        }
    }

    private async Task SucceedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, int read, ImportWriter.Counts counts, string? crs,
        List<string> notes, CancellationToken ct)
    {
        await ProgressAsync(runId, read, ct); // a cancel asked for while the rows were applied still wins
        await using (var cmd = new NpgsqlCommand("""
            UPDATE import_runs SET status = 'succeeded', rows_read = @read, rows_total = @read, inserted = @inserted, updated = @updated,
                   unchanged = @unchanged, rejected = @rejected, conflicts = @conflicts, crs_used = @crs, notes = @notes, finished_at = clock_timestamp()
            WHERE id = @id;
            DELETE FROM import_file_chunks WHERE run_id = @id;
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", runId);
            cmd.Parameters.AddWithValue("read", read);
            cmd.Parameters.AddWithValue("inserted", counts.Inserted);
            cmd.Parameters.AddWithValue("updated", counts.Updated);
            cmd.Parameters.AddWithValue("unchanged", counts.Unchanged);
            cmd.Parameters.AddWithValue("rejected", counts.Rejected);
            cmd.Parameters.AddWithValue("conflicts", counts.Conflicts);
            cmd.Parameters.AddWithValue("crs", (object?)crs ?? DBNull.Value);
            cmd.Parameters.AddWithValue("notes", notes.ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    // A gauge file (RainRows): read and checked row by row, written in one transaction, or previewed and rolled back.
    private async Task<ImportWriter.Counts> RainAsync(Guid runId, ImportOptions options, string fileName, string user, Stream content, PreviewSink? preview,
        CancellationToken ct)
    {
        var notes = new List<string>();
        var (header, rows, encoding) = ImportFile.Read(fileName, content, options.Sheet, notes);
        notes.Add($"Mã hóa: {encoding}");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await BeginAsync(conn, tx, runId, user, fileName, LayerCatalog.Rainfall, RainRows.Source, preview is not null, ct);
        preview?.Header(header);
        var rain = await RainRows.OpenAsync(conn, tx, header, ct);
        using var rejects = new RejectSpool();
        var good = new List<RainRows.Day>();
        var read = 0;
        var lastProgress = time.GetTimestamp();
        foreach (var row in rows)
        {
            read++;
            if (preview is null && (read & 1023) == 0 && time.GetElapsedTime(lastProgress) >= ProgressEvery)
            {
                await ProgressAsync(runId, read, ct); // throws when a cancel was asked for
                lastProgress = time.GetTimestamp();
            }
            var (day, reject) = rain.Validate(row);
            preview?.Row(row.Number, day, reject);
            if (reject is not null)
            {
                rejects.Add(reject);
            }
            else
            {
                good.Add(day!);
            }
        }
        await WriteRejectsAsync(conn, runId, rejects, ct);
        var counts = await RainRows.ApplyAsync(conn, tx, good, rejects.Count, ct);
        if (good.Count > 0)
        {
            notes.Add(FormattableString.Invariant($"Lượng mưa: {good.Count} giá trị ngày của {good.Select(d => d.Gauge).Distinct().Count()} trạm, từ {Calendar.DayText.Format(good.Min(d => d.On))} đến {Calendar.DayText.Format(good.Max(d => d.On))}."));
        }
        if (good.Count(d => d.Mm > Rainfall.RainfallLoader.PlausibleMm) is > 0 and var suspect)
        {
            notes.Add(FormattableString.Invariant($"{suspect} giá trị trên {Rainfall.RainfallLoader.PlausibleMm} mm một ngày: giữ như tệp gửi, đánh dấu cần kiểm tra, không dùng để tính ngưỡng ngập."));
        }
        if (preview is not null)
        {
            await preview.FinishAsync(conn, tx, runId, read, counts, notes, null, ct);
            return counts;
        }
        await SucceedAsync(conn, tx, runId, read, counts, null, notes, ct);
        return counts;
    }

    private sealed class RepeatedIdsException : Exception;

    private static bool HasDetails(FieldMap map, Layer layer) =>
        Records.DetailFields.For(layer.Category!) is { } table && table.Fields.Any(f => map.ColumnOf(f.Column) is not null)
        || layer.Category == "urban_order" && map.ColumnOf("subtype") is not null;

    // The staged way refuses these in SQL (ImportWriter.PrepareSql), in the same words.
    private static Reject OutsideScope(int row, string ward, WardCrosswalk wards) =>
        new(row, "ward", wards.NameOf(ward) is { } name ? $"{name} ({ward})" : ward,
            "Ngoài phường/xã bạn được giao; người gửi tệp chỉ được cập nhật địa bàn của mình.",
            "Outside the wards assigned to the sender, who may only write their own area.");

    // What the validator did beyond accepting and rejecting rows, said once for the run.
    private static IEnumerable<string> ValidatorNotes(RowValidator validator, ImportOptions options)
    {
        if (validator.Crs is { } crs && crs.IsProjected)
        {
            yield return options.Crs is null
                ? $"Tọa độ VN-2000 nhận dạng theo khoảng giá trị, đọc theo {crs.Name} (khai báo crs=EPSG:3405 nếu là UTM 48N)."
                : $"Tọa độ đọc theo {crs.Name}.";
        }
        if (validator.SwappedRows > 0)
        {
            yield return validator.Crs?.IsProjected == true
                ? $"{validator.SwappedRows} dòng ghi X là hướng bắc (quy ước trắc địa), đã đọc đúng."
                : $"{validator.SwappedRows} dòng bị đảo vĩ độ/kinh độ, đã sửa.";
        }
        if (validator.ComposedTitles > 0)
        {
            yield return $"{validator.ComposedTitles} dòng không có tên: tiêu đề ghép từ loại và địa điểm (ví dụ “{validator.FirstComposedTitle}”).";
        }
        if (validator.PlacedByWard.Count > 0)
        {
            yield return $"{validator.PlacedByWard.Count} dòng không có tọa độ được đặt tại tâm phường, xã theo tên hoặc mã: "
                + string.Join("; ", validator.PlacedByWard.Take(20)) + (validator.PlacedByWard.Count > 20 ? "; …" : "");
        }
        if (validator.OutsideNamedWard.Count > 0)
        {
            yield return $"{validator.OutsideNamedWard.Count} dòng có tọa độ nằm ngoài phường, xã ghi trong mã (giữ theo tọa độ): "
                + string.Join("; ", validator.OutsideNamedWard.Take(20)) + (validator.OutsideNamedWard.Count > 20 ? "; …" : "");
        }
        if (validator.DefaultedReportDates > 0)
        {
            yield return $"{validator.DefaultedReportDates} dòng không có ngày phát hiện: dùng thời điểm nhập cho bản ghi mới.";
        }
    }

    private async Task ProgressAsync(Guid runId, int read, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var cmd = dataSource.CreateCommand("UPDATE import_runs SET rows_read = @read, progress_at = now() WHERE id = @id RETURNING cancel_requested");
        cmd.Parameters.AddWithValue("id", runId);
        cmd.Parameters.AddWithValue("read", read);
        if ((bool?)await cmd.ExecuteScalarAsync(ct) == true)
        {
            throw new OperationCanceledException("cancel requested");
        }
    }

    private static async Task WriteRejectsAsync(NpgsqlConnection conn, Guid runId, RejectSpool rejects, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(
            "COPY import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rejects.ReadAll())
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(runId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(r.Row, NpgsqlDbType.Integer, ct);
            if (r.Column is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(r.Column, NpgsqlDbType.Text, ct);
            if (r.Value is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(r.Value, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.ReasonVi, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.ReasonEn, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }


    private async Task<bool> CancelRequestedAsync(Guid runId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT cancel_requested FROM import_runs WHERE id = @id");
        cmd.Parameters.AddWithValue("id", runId);
        return await cmd.ExecuteScalarAsync(CancellationToken.None) is true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {RunId}: transient failure, attempt {Attempt} follows ({Reason})")]
    private static partial void LogRetrying(ILogger logger, Guid runId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {RunId} failed inside the product")]
    private static partial void LogCrashed(ILogger logger, Exception e, Guid runId);

    private async Task FinishAsync(Guid runId, string status, string? error)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE import_runs SET status = @status, error = @error, finished_at = now() WHERE id = @id;
            -- however it ended, the run's stored file goes with it (nothing runs it again; the sender still has it)
            DELETE FROM import_file_chunks WHERE run_id = @id;
            """);
        cmd.Parameters.AddWithValue("id", runId);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("error", error is null ? DBNull.Value : Hosting.ControlCharacterGuard.Scrub(error)); // it may quote the file
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {RunId} ({File}): {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {Conflicts} conflicts")]
    private static partial void LogDone(ILogger logger, Guid runId, string file, int inserted, int updated, int unchanged, int rejected, int conflicts);
}
