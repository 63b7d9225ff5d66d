using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Parts;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using ProductHub.Projections.Parts;

namespace ProductHub.Tests.Logic;

/// <summary>What a change order step sends of a revision, decided without a host.</summary>
public sealed class when_a_step_is_cut_to_its_system
{
    private static readonly Instant Released = Instant.FromUtc(2026, 1, 10, 8, 0);

    private static PartView Pump()
    {
        var part = PartView.Create(new PartRegistered("PUMP", "Pump", "EA", PartType.Make, Released));
        part.Apply(new RevisionCreated("PUMP", "A", "Pump", "EA", PartType.Make, 1, "EA", new LocalDate(2026, 2, 1), new Dictionary<string, string>(), Released));
        part.Apply(new BomLineAdded("PUMP", "A", 10, "HOUSING", 1, "EA", [], new Effectivity(new LocalDate(2026, 2, 1), null), Released));
        part.Apply(new OperationAdded("PUMP", "A", 10, "Assemble", "WC-ASSY", new OperationTimes(0, 12, 1, 0, OperationBatching.Linear),
            new Effectivity(new LocalDate(2026, 2, 1), null), [10], [new InspectionCharacteristic("Torque", 25, 24, 26, "N·m")], Released));
        part.Apply(new RevisionReleased("PUMP", "A", "REL-1", Released, null, "hash", Released));
        return part;
    }

    [Fact]
    public void a_first_revision_is_all_added_and_each_kind_gets_only_its_part()
    {
        var pump = Pump();
        var revision = pump.FindRevision("A")!;

        var erp = StepContent.Of(SystemKind.Erp, pump, revision, new LocalDate(2026, 1, 1));
        var mes = StepContent.Of(SystemKind.Mes, pump, revision, new LocalDate(2026, 1, 1));
        var qms = StepContent.Of(SystemKind.Qms, pump, revision, new LocalDate(2026, 1, 1));

        erp.PreviousRevision.ShouldBeNull();
        erp.Effective.ShouldBe(new LocalDate(2026, 2, 1));
        erp.Bom!.Added.Select(l => l.PartNumber).ShouldBe(["HOUSING"]);
        erp.Routing!.Added.Select(o => o.OperationNumber).ShouldBe([10]);
        mes.Routing!.Added.Select(o => o.OperationNumber).ShouldBe([10]);
        mes.Bom.ShouldBeNull();
        mes.Inspection.ShouldBeNull();
        qms.Inspection!.Single().After.Single().Characteristic.ShouldBe("Torque");
        qms.Inspection!.Single().Before.ShouldBeEmpty();
        qms.Routing.ShouldBeNull();
        StepContent.Of(SystemKind.SupplierPortal, pump, revision, new LocalDate(2026, 1, 1)).Bom.ShouldBeNull();
    }
}
