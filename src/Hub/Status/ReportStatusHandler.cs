using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Status;

/// <summary>A status event that cannot be received; its message goes to the dead letters, not round a retry loop.</summary>
public sealed class StatusEventRefusedException(string message) : Exception(message);

/// <summary>
/// Status events from the queue channel (the PostgreSQL queue <c>status-events</c>, and the Kafka topic
/// <c>producthub.status-events</c> when Kafka is configured): the same schema and the same intake as over HTTP.
/// </summary>
public static class ReportStatusHandler
{
    public const string Queue = "status-events";
    public const string Topic = "producthub.status-events";

    public static async Task Handle(ReportStatus report, IDocumentStore store, IClock clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        // The queue's deserializer took the message; the limits of every other intake (depth, text) still apply to it.
        var (document, refusal) = JsonIntake.Parse(JsonSerializer.SerializeToUtf8Bytes(report, json.Value.SerializerOptions));
        if (refusal is not null)
            throw new StatusEventRefusedException(Describe(report, new Dictionary<string, string[]> { [refusal.Field] = [refusal.Problem] }));
        using (document)
        {
            var invalid = ContractSchema.For(typeof(ReportStatus)).Validate(document!.RootElement);
            if (invalid.Count > 0) throw new StatusEventRefusedException(Describe(report, invalid));
        }

        var outcome = await StatusIntake.RecordAsync(store, report, json.Value.SerializerOptions, clock.GetCurrentInstant(), ct);
        if (outcome.Rejections is { } rejections) throw new StatusEventRefusedException(Describe(report, rejections));
        if (outcome.Conflict is { } conflict) throw new StatusEventRefusedException(IntakeLimits.Escaped($"status event {report.EventId}: {conflict}"));
    }

    private static string Describe(ReportStatus report, IReadOnlyDictionary<string, string[]> errors) =>
        // Escaped: the dead letter records this message, and it cannot store what the event itself could not carry.
        IntakeLimits.Escaped($"status event {report.EventId} refused: " +
                             string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
}
