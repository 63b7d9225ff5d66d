using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Erp.Delivering;

namespace ProductHub.Tests.Logic;

/// <summary>What one attempt to deliver decides, from the delivery's events and the channel's outcome, without a host.</summary>
public sealed class DeliveryAttemptTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);
    private static readonly DeliveryRetry ThreeAttempts = new(3, [Duration.FromSeconds(5), Duration.FromSeconds(30)]);

    private static Delivery Requested(int version = 2, params object[] then) =>
        DeliveryStates.Of([new DeliveryRequested("DL-1", "erp-a:P1:PN-1:A:h", "erp-a", "P1", "PN-1", "A", version, "h",
            Now - Duration.FromMinutes(1), "release", Now - Duration.FromSeconds(30)), .. then]);

    private static PlantBomPublished Publication(int version) => new("P1", "PN-1", "A", version, "h",
        new PlantItem("PN-1", "A", "Pump", "EA", Procurement.Make, 1, "EA", new LocalDate(2026, 1, 5), null, [], null), [], "release", Now);

    [Fact]
    public void an_order_for_the_current_publication_is_sent_as_the_next_attempt()
    {
        var delivery = Requested(then: new DeliveryFailed("DL-1", 1, "HTTP 503", Now, Now - Duration.FromSeconds(5)));

        DeliveryAttempt.Start(new DeliverToErp("DL-1", 1), delivery, Publication(2), Now).ShouldBe(new AttemptStart.Send(2));
    }

    [Fact]
    public void a_newer_publication_supersedes_the_delivery_unsent()
    {
        var start = DeliveryAttempt.Start(new DeliverToErp("DL-1", 1), Requested(version: 2), Publication(3), Now);

        start.ShouldBe(new AttemptStart.Superseded(new DeliverySuperseded("DL-1", 3, Now)));
    }

    [Fact]
    public void an_order_of_an_earlier_round_or_for_a_settled_delivery_does_nothing()
    {
        var replayed = Requested(then: new DeliveryRequested("DL-1", "erp-a:P1:PN-1:A:h", "erp-a", "P1", "PN-1", "A", 2, "h", null, "replay", Now));
        DeliveryAttempt.Start(new DeliverToErp("DL-1", 1), replayed, Publication(2), Now).ShouldBeOfType<AttemptStart.Done>();

        var acknowledged = Requested(then: [new DeliverySent("DL-1", 1, "{}", Now), new DeliveryAcknowledged("DL-1", "SAP-1", null, Now)]);
        DeliveryAttempt.Start(new DeliverToErp("DL-1", 1), acknowledged, Publication(2), Now).ShouldBeOfType<AttemptStart.Done>();

        DeliveryAttempt.Start(new DeliverToErp("DL-1", 1), null, null, Now).ShouldBeOfType<AttemptStart.Done>();
    }

    [Fact]
    public void an_acknowledging_answer_records_the_send_and_the_acknowledgement_with_its_reference()
    {
        var answeredAt = Now + Duration.FromMilliseconds(40);
        var record = DeliveryAttempt.Record(Requested(), 1, ThreeAttempts, "{}", new ChannelOutcome.Acknowledged("SAP-7", "{\"ok\":1}"), Now, answeredAt);

        record.Events.ShouldBe([new DeliverySent("DL-1", 1, "{}", Now), new DeliveryAcknowledged("DL-1", "SAP-7", "{\"ok\":1}", answeredAt)]);
        record.RetryAfter.ShouldBeNull();
        record.Result.ShouldBe(AttemptResult.Acknowledged);
    }

    [Fact]
    public void a_failure_within_the_limit_waits_the_backoff_of_its_attempt_and_the_last_wait_repeats()
    {
        var first = DeliveryAttempt.Record(Requested(), 1, ThreeAttempts, "{}", new ChannelOutcome.Failed("HTTP 503"), Now, Now);
        first.RetryAfter.ShouldBe(Duration.FromSeconds(5));
        first.Events[1].ShouldBe(new DeliveryFailed("DL-1", 1, "HTTP 503", Now + Duration.FromSeconds(5), Now));

        var many = new DeliveryRetry(10, [Duration.FromSeconds(5), Duration.FromSeconds(30)]);
        DeliveryAttempt.Record(Requested(), 7, many, "{}", new ChannelOutcome.Failed("HTTP 503"), Now, Now).RetryAfter
            .ShouldBe(Duration.FromSeconds(30));
    }

    [Fact]
    public void the_last_allowed_attempt_failing_dead_letters_the_delivery()
    {
        var record = DeliveryAttempt.Record(Requested(), 3, ThreeAttempts, "{}", new ChannelOutcome.Failed("timeout"), Now, Now);

        record.Events.Skip(1).ShouldBe([new DeliveryFailed("DL-1", 3, "timeout", null, Now), new DeliveryDeadLettered("DL-1", 3, "timeout", Now)]);
        record.RetryAfter.ShouldBeNull();
        record.Result.ShouldBe(AttemptResult.DeadLettered);
    }

    [Fact]
    public void an_instance_that_is_not_configured_has_nothing_to_retry_with()
    {
        var record = DeliveryAttempt.Record(Requested(), 1, null, "", new ChannelOutcome.Failed("ERP instance erp-a is not configured"), Now, Now);

        record.Result.ShouldBe(AttemptResult.DeadLettered);
    }

    [Fact]
    public void an_answer_without_an_acknowledgement_waits_for_the_callback()
    {
        var record = DeliveryAttempt.Record(Requested(), 1, ThreeAttempts, "{}", new ChannelOutcome.AwaitingAcknowledgement("accepted"), Now, Now);

        record.Events.ShouldBe([new DeliverySent("DL-1", 1, "{}", Now)]);
        record.Result.ShouldBe(AttemptResult.AwaitingAcknowledgement);
    }
}
