using NodaTime;
using ProductHub.Domain.Parts;
using ProductHub.Projections.Parts;

namespace ProductHub.Tests.Logic;

/// <summary>What changed between two readings of a part (two revisions, or one revision on two dates), without a host.</summary>
public sealed class when_comparing_two_readings_of_a_part
{
    private static readonly LocalDate Start = new(2026, 2, 1);
    private static readonly LocalDate Later = new(2026, 6, 1);

    private static RevisionView Revision(string revision, LocalDate effectiveFrom, BomLineView[] lines, RoutedOperation[]? operations = null,
        ApprovedManufacturer[]? manufacturers = null, ComplianceAttributes? compliance = null) => new()
    {
        Revision = revision, EffectiveFrom = effectiveFrom, Bom = [.. lines], Operations = [.. operations ?? []],
        ApprovedManufacturers = [.. manufacturers ?? []], Compliance = compliance,
    };

    private static BomLineView Line(int findNumber, string part, decimal quantity, LocalDate from, LocalDate? to = null, params string[] designators) =>
        new(findNumber, part, quantity, "EA", [.. designators], from, to);

    private static RoutedOperation Operation(int number, string workCenter, decimal runMinutes, LocalDate from, int[]? consumes = null,
        InspectionCharacteristic[]? inspection = null, string description = "Assemble") =>
        new(number, description, workCenter, new OperationTimes(10, runMinutes, 1, 0, OperationBatching.Linear), new Effectivity(from, null),
            consumes ?? [], inspection ?? []);

    private static PartDifferences Between(RevisionView from, RevisionView to, LocalDate? effective = null) =>
        PartDifferences.Between(new PartReading(from, effective ?? Later), new PartReading(to, effective ?? Later));

    [Fact]
    public void the_same_content_in_a_new_revision_is_no_difference_though_its_lines_start_with_it()
    {
        var a = Revision("A", Start, [Line(10, "HOUSING", 1, Start)], [Operation(10, "WC-ASSY", 35, Start, [10])],
            [new ApprovedManufacturer("Acme", "A-1")], new ComplianceAttributes(true, true, "DE"));
        var b = Revision("B", Later, [Line(10, "HOUSING", 1, Later)], [Operation(10, "WC-ASSY", 35, Later, [10])],
            [new ApprovedManufacturer("Acme", "A-1")], new ComplianceAttributes(true, true, "DE"));

        var differences = Between(a, b);

        differences.Bom.Added.ShouldBeEmpty();
        differences.Bom.Removed.ShouldBeEmpty();
        differences.Bom.Changed.ShouldBeEmpty();
        differences.Routing.Added.ShouldBeEmpty();
        differences.Routing.Removed.ShouldBeEmpty();
        differences.Routing.Changed.ShouldBeEmpty();
        differences.ApprovedManufacturers.Added.ShouldBeEmpty();
        differences.ApprovedManufacturers.Removed.ShouldBeEmpty();
        differences.Compliance.ShouldBeNull();
    }

    [Fact]
    public void lines_are_matched_by_find_number_and_each_changed_field_is_named_with_before_and_after()
    {
        var a = Revision("A", Start, [Line(10, "HOUSING", 1, Start), Line(20, "IMPELLER", 1, Start), Line(40, "BOLT", 4, Start, null, "B1", "B2"),
            Line(60, "GASKET", 1, Start)]);
        var b = Revision("B", Later, [Line(10, "HOUSING", 1, Later), Line(20, "IMPELLER-S", 1, Later), Line(40, "BOLT", 6, Later, null, "B1", "B2", "B3"),
            Line(50, "SEAL", 2, Later)]);

        var bom = Between(a, b).Bom;

        bom.Added.Select(l => l.FindNumber).ShouldBe([50]);
        bom.Removed.Select(l => (l.FindNumber, l.PartNumber)).ShouldBe([(60, "GASKET")]);
        bom.Changed.Select(c => (c.After.FindNumber, string.Join(",", c.Fields)))
            .ShouldBe([(20, "partNumber"), (40, "quantity,referenceDesignators")]);
        var bolts = bom.Changed[1];
        (bolts.Before.Quantity, bolts.After.Quantity).ShouldBe((4m, 6m));
        bolts.After.ReferenceDesignators.ShouldBe(["B1", "B2", "B3"]);
    }

    [Fact]
    public void a_line_that_gets_dates_of_its_own_has_changed_effectivity()
    {
        var a = Revision("A", Start, [Line(20, "IMPELLER", 1, Start)]);
        var b = Revision("B", Later, [Line(20, "IMPELLER", 1, Later, new LocalDate(2026, 9, 1))]);

        var changed = Between(a, b).Bom.Changed.ShouldHaveSingleItem();

        changed.Fields.ShouldBe(["effectivity"]);
        changed.After.EffectiveTo.ShouldBe(new LocalDate(2026, 9, 1));
    }

    [Fact]
    public void one_revision_on_two_dates_differs_by_the_lines_effective_on_each()
    {
        var switchover = new LocalDate(2026, 9, 1);
        var b = Revision("B", Later, [Line(10, "HOUSING", 1, Later), Line(20, "IMPELLER", 1, Later, switchover), Line(20, "IMPELLER-S", 1, switchover),
            Line(30, "SHIM", 1, Later, switchover)]);

        var differences = PartDifferences.Between(new PartReading(b, new LocalDate(2026, 7, 1)), new PartReading(b, new LocalDate(2026, 10, 1)));

        var swapped = differences.Bom.Changed.ShouldHaveSingleItem();
        (swapped.Before.PartNumber, swapped.After.PartNumber).ShouldBe(("IMPELLER", "IMPELLER-S"));
        swapped.Fields.ShouldBe(["partNumber", "effectivity"]);
        differences.Bom.Removed.Select(l => l.PartNumber).ShouldBe(["SHIM"]);
        differences.Bom.Added.ShouldBeEmpty();
    }

    [Fact]
    public void a_find_number_holding_two_children_pairs_each_with_its_own_part()
    {
        var a = Revision("A", Start, [Line(20, "IMPELLER", 1, Start), Line(20, "IMPELLER-S", 1, Start)]);
        var b = Revision("B", Later, [Line(20, "IMPELLER-S", 2, Later), Line(20, "IMPELLER", 1, Later)]);

        var bom = Between(a, b).Bom;

        bom.Changed.ShouldHaveSingleItem().After.PartNumber.ShouldBe("IMPELLER-S");
        bom.Added.ShouldBeEmpty();
        bom.Removed.ShouldBeEmpty();
    }

    [Fact]
    public void operations_are_matched_by_number_with_what_changed_in_each()
    {
        var pressure = new InspectionCharacteristic("Test pressure", 16, 15.5m, 16.5m, "bar");
        var a = Revision("A", Start, [Line(10, "HOUSING", 1, Start), Line(20, "BOLT", 4, Start)],
            [Operation(10, "WC-ASSY", 35, Start, [10, 20]), Operation(20, "WC-ASSY", 8, Start, [20]), Operation(30, "WC-TEST", 15, Start, inspection: [pressure])]);
        var b = Revision("B", Later, [Line(10, "HOUSING", 1, Later), Line(20, "BOLT", 4, Later)],
            [Operation(10, "WC-CELL", 30, Later, [20, 10]), Operation(30, "WC-TEST", 15, Later, inspection: [pressure with { LowerLimit = 15.8m }],
                description: "Pressure test"), Operation(40, "WC-PACK", 5, Later)]);

        var routing = Between(a, b).Routing;

        routing.Added.Select(o => o.OperationNumber).ShouldBe([40]);
        routing.Removed.Select(o => o.OperationNumber).ShouldBe([20]);
        routing.Changed.Select(c => (c.After.OperationNumber, string.Join(",", c.Fields)))
            .ShouldBe([(10, "workCenter,times"), (30, "description,inspection")]);
        routing.Changed[1].Before.Inspection.ShouldBe([pressure]);
    }

    [Fact]
    public void an_operation_consuming_other_lines_or_starting_later_has_changed()
    {
        var a = Revision("A", Start, [], [Operation(10, "WC-ASSY", 35, Start, [10, 20])]);
        var b = Revision("B", Start, [], [Operation(10, "WC-ASSY", 35, Start, [10]) with { Effectivity = new Effectivity(Start, Later) }]);

        Between(a, b, Start).Routing.Changed.ShouldHaveSingleItem().Fields.ShouldBe(["effectivity", "consumes"]);
    }

    [Fact]
    public void approved_manufacturers_are_added_or_removed_and_compliance_is_given_before_and_after()
    {
        var a = Revision("A", Start, [], manufacturers: [new ApprovedManufacturer("Acme", "A-1"), new ApprovedManufacturer("Volta", "V-9")],
            compliance: new ComplianceAttributes(true, false, "DE"));
        var b = Revision("B", Later, [], manufacturers: [new ApprovedManufacturer("Acme", "A-2"), new ApprovedManufacturer("Volta", "V-9")],
            compliance: new ComplianceAttributes(true, true, "DE"));

        var differences = Between(a, b);

        differences.ApprovedManufacturers.Added.ShouldBe([new ApprovedManufacturer("Acme", "A-2")]);
        differences.ApprovedManufacturers.Removed.ShouldBe([new ApprovedManufacturer("Acme", "A-1")]);
        differences.Compliance.ShouldBe(new ComplianceChange(new ComplianceAttributes(true, false, "DE"), new ComplianceAttributes(true, true, "DE")));
    }
}
