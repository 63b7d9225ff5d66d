using ProductHub.Domain.Parts;

namespace ProductHub.Tests.Logic;

/// <summary>The minutes an operation takes for a quantity, as the ERPs that plan with them count.</summary>
public sealed class OperationTimesTests
{
    [Fact]
    public void linear_run_time_is_in_proportion_to_the_quantity_as_erpnext_computes_it()
    {
        var times = new OperationTimes(SetupMinutes: 30, RunMinutes: 12, RunQuantity: 5, CleanupMinutes: 10, OperationBatching.Linear);

        times.MinutesFor(5).ShouldBe(52m);
        times.MinutesFor(7).ShouldBe(30m + 12m * 7 / 5 + 10m);
        times.MinutesFor(1).ShouldBe(42.4m);
    }

    [Fact]
    public void whole_batches_count_every_started_cycle_as_odoo_does()
    {
        var times = new OperationTimes(SetupMinutes: 30, RunMinutes: 12, RunQuantity: 5, CleanupMinutes: 10, OperationBatching.WholeBatches);

        times.MinutesFor(5).ShouldBe(52m);
        times.MinutesFor(6).ShouldBe(64m);
        times.MinutesFor(1).ShouldBe(52m);
    }

    [Fact]
    public void a_quantity_of_exactly_whole_cycles_is_not_counted_one_cycle_more()
    {
        var times = new OperationTimes(0, RunMinutes: 1, RunQuantity: 1m / 3, 0, OperationBatching.WholeBatches);

        times.MinutesFor(1).ShouldBe(3m);
    }

    [Fact]
    public void an_operation_without_run_time_takes_its_setup_and_cleanup()
    {
        new OperationTimes(15, 0, 1, 5, OperationBatching.Linear).MinutesFor(1000).ShouldBe(20m);
    }

    [Fact]
    public void a_time_beyond_what_can_be_computed_is_none_rather_than_an_error()
    {
        new OperationTimes(0, 1_000_000, 0.000000001m, 0, OperationBatching.Linear).MinutesFor(79_000_000_000_000_000_000m).ShouldBeNull();
    }
}
