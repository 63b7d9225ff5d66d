using NodaTime;

namespace ProductHub.Domain.Erp;

public enum DeliveryStatus { Pending, Sent, Acknowledged, Failed, DeadLettered, Superseded }

/// <summary>
/// What the decisions about one delivery (stream delivery/{id}) need: which publication it carries, where it stands,
/// its attempts in the current round and how many rounds a resync or replay started. Aggregated live from the stream;
/// what was sent and answered is the read model's (<c>DeliveryView</c>).
/// </summary>
public sealed record Delivery(
    string Id,
    string DeliveryId,
    string IdempotencyKey,
    string Instance,
    string PlantCode,
    string PartNumber,
    int MbomVersion,
    Instant? ReleasedAt,
    DeliveryStatus Status,
    int Attempts,
    int Rounds)
{
    /// <summary>The delivery after one more of its events; uses only the event, so a replay of the stream gives the same state.</summary>
    public static Delivery? Evolve(Delivery? state, object @event) => (state, @event) switch
    {
        (null, DeliveryRequested e) => new Delivery(ErpStreams.Delivery(e.DeliveryId), e.DeliveryId, e.IdempotencyKey, e.Instance,
            e.PlantCode, e.PartNumber, e.Version, e.ReleasedAt, DeliveryStatus.Pending, 0, 1),
        (not null, DeliveryRequested e) => state with
        {
            ReleasedAt = e.ReleasedAt, Status = DeliveryStatus.Pending, Attempts = 0, Rounds = state.Rounds + 1,
        },
        // An ERP can acknowledge (an ack file, a callback) before the send's own record is committed; that record,
        // coming later, must not put the delivery back to awaiting an acknowledgement it already has.
        (not null, DeliverySent e) => state with
        {
            Status = state.Status == DeliveryStatus.Acknowledged ? DeliveryStatus.Acknowledged : DeliveryStatus.Sent, Attempts = e.Attempt,
        },
        (not null, DeliveryAcknowledged) => state with { Status = DeliveryStatus.Acknowledged },
        (not null, DeliveryFailed e) => state with { Status = DeliveryStatus.Failed, Attempts = e.Attempt },
        (not null, DeliveryDeadLettered) => state with { Status = DeliveryStatus.DeadLettered },
        (not null, DeliverySuperseded) => state with { Status = DeliveryStatus.Superseded },
        _ => state,
    };
}
