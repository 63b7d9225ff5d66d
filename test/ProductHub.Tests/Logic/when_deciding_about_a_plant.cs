using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants;
using ProductHub.Hub.Plants.Assigning;
using ProductHub.Hub.Plants.Configuring;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Hub.Plants.ReferenceData;

namespace ProductHub.Tests.Logic;

/// <summary>The plant's write-side state and the decisions of configuring, assigning and loading reference data, without a host.</summary>
public sealed class when_deciding_about_a_plant
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);

    private static Instant Later(int hours) => Now + Duration.FromHours(hours);

    private static ConfigurePlant Command(params string[] exclusions) => new("Plant 100", "erp-p100", new RulesBody(null, exclusions, null, null, null));

    private static Plant Configured(params object[] later) =>
        new object[] { ConfigurePlantDecision.Decide("P100", Command("PN-9"), null, Now)!.Event }.Concat(later)
            .Aggregate((Plant?)null, Plant.Evolve)!;

    [Fact]
    public void a_first_configuration_records_the_plant_and_syncs_everything_it_receives()
    {
        var decision = ConfigurePlantDecision.Decide("P100", Command("PN-9"), null, Now).ShouldNotBeNull();

        var configured = decision.Event.ShouldBeOfType<PlantConfigured>();
        (configured.PlantCode, configured.Name, configured.ErpInstance, configured.RecordedAt).ShouldBe(("P100", "Plant 100", "erp-p100", Now));
        configured.Rules.Exclusions.ShouldBe(["PN-9"]);
        decision.Sync.ShouldBe(new SyncPlant("P100", null, "plant configured"));
    }

    [Fact]
    public void the_same_configuration_again_records_nothing_though_its_lists_are_other_instances()
    {
        ConfigurePlantDecision.Decide("P100", Command("PN-9"), Configured(), Later(1)).ShouldBeNull();
    }

    [Fact]
    public void a_changed_configuration_is_recorded_whole_and_replaces_the_one_in_force()
    {
        var plant = Configured();

        var decision = ConfigurePlantDecision.Decide("P100", Command("PN-9", "PN-8"), plant, Later(1)).ShouldNotBeNull();
        Plant.Evolve(plant, decision.Event)!.Configuration.Rules.Exclusions.ShouldBe(["PN-9", "PN-8"]);
        ConfigurePlantDecision.Decide("P100", Command("PN-9") with { ErpInstance = "erp-p200" }, plant, Now).ShouldNotBeNull();
    }

    [Fact]
    public void a_part_is_assigned_once_and_answers_its_first_assignment_after()
    {
        var decision = AssignPartDecision.Decide("PN-1", Configured(), Later(1)).ShouldNotBeNull();
        decision.Event.ShouldBe(new PartAssignedToPlant("P100", "PN-1", Later(1)));
        (decision.Sync.PlantCode, decision.Sync.Cause).ShouldBe(("P100", "PN-1 assigned"));
        decision.Sync.Parts.ShouldBe(["PN-1"]);

        var assigned = Configured(decision.Event, new PartAssignedToPlant("P100", "PN-1", Later(2)));
        AssignPartDecision.Decide("PN-1", assigned, Later(3)).ShouldBeNull();
        assigned.Assigned["PN-1"].ShouldBe(Later(1));
    }

    [Fact]
    public void a_reconfigured_plant_keeps_its_assignments_and_reference_data_leaves_its_state_as_it_was()
    {
        var plant = Configured(new PartAssignedToPlant("P100", "PN-1", Now));
        var reconfigured = Plant.Evolve(plant, ConfigurePlantDecision.Decide("P100", Command(), plant, Now)!.Event)!;

        reconfigured.Assigned.Keys.ShouldBe(["PN-1"]);
        Plant.Evolve(reconfigured, new ReferenceDataLoaded("P100", "csv", [], Now)).ShouldBeSameAs(reconfigured);
        Plant.Evolve(null, new PartAssignedToPlant("P100", "PN-1", Now)).ShouldBeNull();
    }

    [Fact]
    public void reference_data_is_loaded_whole_and_syncs_each_part_it_names_once()
    {
        var items = new[] { Item("PN-1"), Item("PN-2"), Item("PN-1") };

        var decision = LoadReferenceDataDecision.Decide(Configured(), "csv", "reference data (csv)", items, Now);

        decision.Event.ShouldBe(new ReferenceDataLoaded("P100", "csv", items, Now));
        decision.Sync.Parts.ShouldBe(["PN-1", "PN-2"]);
        decision.Sync.Cause.ShouldBe("reference data (csv)");

        static ReferenceDataItem Item(string partNumber) => new(partNumber, 1.5m, "EUR", null, null, null);
    }
}
