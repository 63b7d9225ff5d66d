using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Exceptions;
using ProductHub.Hub.Plants.Publishing;

namespace ProductHub.Tests.Logic;

/// <summary>What retrying, dismissing and resolving an exception of the workbench decide, from its events, without a host.</summary>
public sealed class PlantExceptionTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);
    private static readonly PlantValidationFailed Failed =
        new("EX-1", "P1", "PN-1", "B", [new FailedCheck("unit", "missing")], "release", Now - Duration.FromHours(1));

    private static PlantException After(params object[] events) => events.Aggregate((PlantException?)null, PlantException.Evolve)!;

    [Fact]
    public void an_open_exception_is_dismissed_with_its_reason_trimmed()
    {
        ExceptionDecisions.Dismiss(new DismissException("  duplicate of EX-0 "), After(Failed), Now)
            .ShouldBe(new ExceptionDecision(new PlantExceptionDismissed("EX-1", "duplicate of EX-0", Now), null));
    }

    [Fact]
    public void a_closed_exception_is_neither_dismissed_nor_retried_and_says_how_it_was_closed()
    {
        var resolved = After(Failed, new PlantExceptionResolved("EX-1", "published", Now));
        var dismissed = After(Failed, new PlantExceptionDismissed("EX-1", "obsolete", Now));

        ExceptionDecisions.Dismiss(new DismissException("again"), resolved, Now).ShouldBe(new ExceptionDecision(null, "Exception EX-1 is resolved, not open."));
        ExceptionDecisions.Retry(dismissed, Now).ShouldBe(new ExceptionDecision(null, "Exception EX-1 is dismissed, not open."));
        ExceptionDecisions.Retry(After(Failed), Now).ShouldBe(new ExceptionDecision(new PlantExceptionRetried("EX-1", Now), null));
    }

    [Fact]
    public void a_sync_resolves_an_open_exception_but_leaves_a_dismissed_one_as_it_was_closed()
    {
        ExceptionResolution.Decide(After(Failed, new PlantExceptionRetried("EX-1", Now)), "published to plant P1 as version 1", Now)
            .ShouldBe(new PlantExceptionResolved("EX-1", "published to plant P1 as version 1", Now));
        ExceptionResolution.Decide(After(Failed, new PlantExceptionDismissed("EX-1", "obsolete", Now)), "published", Now).ShouldBeNull();
    }

    [Fact]
    public void the_same_failure_found_again_reopens_a_closed_exception()
    {
        var reopened = After(Failed, new PlantExceptionDismissed("EX-1", "obsolete", Now), Failed with { Cause = "retry of EX-1" });

        reopened.ShouldBe(new PlantException("exception/EX-1", "EX-1", "P1", "PN-1", "B", ExceptionStatus.Open));
    }
}
