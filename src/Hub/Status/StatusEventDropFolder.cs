using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Hub.Infrastructure;

namespace ProductHub.Hub.Status;

/// <summary>
/// Status events by file: <c>{folder}/*.json</c> holding one status event or an array of them, each shaped by the
/// status event schema. Every event is received as over HTTP (once per event id); a file with any event refused
/// goes to <c>failed/</c> with the reasons by JSON path, and the others in it count as received.
/// </summary>
public sealed class StatusEventDropFolder(
    IDocumentStore store, IClock clock, IOptions<JsonOptions> json, ILogger<StatusEventDropFolder> logger, string folder, TimeSpan interval)
    : DropFolderWatcher(store, folder, interval, logger)
{
    protected override IEnumerable<string> Candidates() => Directory.EnumerateFiles(Folder, "*.json");

    protected override async Task<IReadOnlyDictionary<string, string[]>> TakeAsync(string file, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (document, refusal) = JsonIntake.Parse(await File.ReadAllBytesAsync(file, ct));
        if (refusal is not null)
        {
            errors.Add(refusal.Field, refusal.Problem);
            return errors.ToDictionary();
        }

        using (document)
        {
            var isArray = document!.RootElement.ValueKind == JsonValueKind.Array;
            var events = isArray ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            var schema = ContractSchema.For(typeof(ReportStatus));
            for (var i = 0; i < events.Count; i++)
            {
                // Every error is named by its JSON path in the file, as the refusals of malformed files are.
                var prefix = isArray ? $"$[{i}]" : "$";
                var invalid = schema.Validate(events[i]);
                foreach (var (field, messages) in invalid)
                    foreach (var message in messages) errors.Add(prefix + field[1..], message);
                if (invalid.Count > 0) continue;

                var body = events[i].Deserialize<ReportStatus>(json.Value.SerializerOptions)!;
                var outcome = await StatusIntake.RecordAsync(Store, body, json.Value.SerializerOptions, clock.GetCurrentInstant(), ct);
                foreach (var (field, messages) in outcome.Rejections ?? new Dictionary<string, string[]>())
                    foreach (var message in messages) errors.Add(prefix + field[1..], message);
                if (outcome.Conflict is { } conflict) errors.Add(prefix, conflict);
            }
        }
        return errors.ToDictionary();
    }
}
