using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Projections.Erp;

namespace ProductHub.Tests.Logic;

/// <summary>What an ERP's acknowledgement and a new request of a delivery decide, from the delivery's events, without a host.</summary>
public sealed class DeliveryAcknowledgementTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);
    private static readonly DeliveryRequested FirstRequest =
        new("DL-1", "k", "erp-a", "P1", "PN-1", "A", 2, "h", Now - Duration.FromMinutes(1), "release", Now - Duration.FromSeconds(30));

    [Fact]
    public void the_first_acknowledgement_of_a_sent_delivery_is_recorded_with_the_erps_reference()
    {
        var sent = DeliveryStates.Of([FirstRequest, new DeliverySent("DL-1", 1, "{}", Now)]);

        DeliveryAcknowledgements.Decide(new AcknowledgeDelivery("SAP-9"), sent, Now)
            .ShouldBe(new AcknowledgementDecision(AcknowledgementOutcome.Recorded, new DeliveryAcknowledged("DL-1", "SAP-9", null, Now)));
    }

    [Fact]
    public void an_acknowledgement_of_an_acknowledged_delivery_is_a_duplicate_and_records_nothing()
    {
        var acknowledged = DeliveryStates.Of([FirstRequest, new DeliverySent("DL-1", 1, "{}", Now), new DeliveryAcknowledged("DL-1", "SAP-1", null, Now)]);

        DeliveryAcknowledgements.Decide(new AcknowledgeDelivery("SAP-2"), acknowledged, Now)
            .ShouldBe(new AcknowledgementDecision(AcknowledgementOutcome.Duplicate, null));
    }

    [Fact]
    public void an_acknowledgement_that_overtakes_the_record_of_its_send_keeps_the_delivery_acknowledged()
    {
        // A file channel's ERP can drop its ack file before the send's transaction commits.
        var events = new object[] { FirstRequest, new DeliveryAcknowledged("DL-1", "ERP-7", null, Now), new DeliverySent("DL-1", 1, "{}", Now) };
        var view = DeliveryView.Create(FirstRequest);
        view.Apply((DeliveryAcknowledged)events[1]);
        view.Apply((DeliverySent)events[2]);

        DeliveryStates.Of(events).Status.ShouldBe(DeliveryStatus.Acknowledged);
        view.Status.ShouldBe(DeliveryStatus.Acknowledged);
        view.Payload.ShouldBe("{}");
    }

    [Fact]
    public void a_superseded_delivery_was_never_sent_so_it_cannot_be_acknowledged()
    {
        var superseded = DeliveryStates.Of([FirstRequest, new DeliverySuperseded("DL-1", 3, Now)]);

        DeliveryAcknowledgements.Decide(new AcknowledgeDelivery(null), superseded, Now).Outcome.ShouldBe(AcknowledgementOutcome.Superseded);
    }

    [Fact]
    public void losing_the_race_to_an_acknowledgement_is_a_duplicate_and_to_anything_else_a_conflict()
    {
        var sent = DeliveryStates.Of([FirstRequest, new DeliverySent("DL-1", 1, "{}", Now)]);

        DeliveryAcknowledgements.AfterLostRace(Delivery.Evolve(sent, new DeliveryAcknowledged("DL-1", "SAP-1", null, Now)))
            .ShouldBe(AcknowledgementOutcome.Duplicate);
        DeliveryAcknowledgements.AfterLostRace(Delivery.Evolve(sent, FirstRequest with { Reason = "replay" }))
            .ShouldBe(AcknowledgementOutcome.Conflict);
    }

    [Fact]
    public void a_request_again_starts_the_next_round_with_no_attempts_and_its_order_names_that_round()
    {
        var publication = new PlantBomPublished("P1", "PN-1", "A", 2, "h",
            new PlantItem("PN-1", "A", "Pump", "EA", Procurement.Make, 1, "EA", new LocalDate(2026, 1, 5), null, [], null), [], "release", Now);
        var (first, firstOrder) = Deliveries.Request(null, "erp-a", publication, Now, "release", Now);
        var failed = DeliveryStates.Of([first, new DeliveryFailed(first.DeliveryId, 3, "timeout", null, Now), new DeliveryDeadLettered(first.DeliveryId, 3, "timeout", Now)]);

        var (again, order) = Deliveries.Request(failed, "erp-a", publication, null, "replay", Now);

        firstOrder.Round.ShouldBe(1);
        (again.DeliveryId, again.IdempotencyKey).ShouldBe((first.DeliveryId, first.IdempotencyKey));
        order.ShouldBe(new DeliverToErp(first.DeliveryId, 2, "erp-a", "PN-1"));
        Delivery.Evolve(failed, again).ShouldBe(failed with { Status = DeliveryStatus.Pending, Attempts = 0, Rounds = 2, ReleasedAt = null });
    }
}
