using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Plants;

public sealed class when_loading_reference_data(HubFixture fixture) : HubScenario(fixture)
{
    private async Task PlantBuildsTheHousing()
    {
        await Api.Release(Release());
        await Api.ConfigurePlant("P1", Plant());
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
    }

    private async Task<System.Text.Json.Nodes.JsonNode?> ReferenceDataOf(string partNumber) =>
        (await Api.Published("P1", partNumber)).Json["item"]!["referenceData"];

    [Fact]
    public async Task json_reference_data_enriches_what_the_plant_receives()
    {
        await PlantBuildsTheHousing();

        var answer = await Api.Settled(api => api.ReferenceData("P1", new
        {
            items = new[] { new { partNumber = "CASTING", standardCost = 41.2m, currency = "EUR", preferredSupplier = "Giesserei Brno",
                leadTimeDays = 28, storageLocation = "RM-01" } },
        }));

        answer.Status.ShouldBe(200, answer.ToString());
        var data = (await ReferenceDataOf("CASTING"))!;
        data["standardCost"]!.GetValue<decimal>().ShouldBe(41.2m);
        data["leadTimeDays"]!.GetValue<int>().ShouldBe(28);
        (await Api.Published("P1", "CASTING")).Json["version"]!.GetValue<int>().ShouldBe(2);
        (await Api.Part("CASTING")).Json["revisions"]![0]!["description"]!.GetValue<string>().ShouldBe("CASTING");
    }

    [Fact]
    public async Task the_legacy_csv_file_enriches_the_same_way()
    {
        await PlantBuildsTheHousing();

        var answer = await Api.Settled(api => api.ReferenceDataCsv("P1",
            "partNumber,standardCost,currency,preferredSupplier,leadTimeDays,storageLocation\n" +
            "CASTING,41.20,EUR,Giesserei Brno,28,RM-01\n" +
            "BOLT,0.12,EUR,\"Schrauben, Müller GmbH\",5,\n"));

        answer.Status.ShouldBe(200, answer.ToString());
        answer.Json["items"]!.GetValue<int>().ShouldBe(2);
        (await ReferenceDataOf("BOLT"))!["preferredSupplier"]!.GetValue<string>().ShouldBe("Schrauben, Müller GmbH");
        (await ReferenceDataOf("CASTING"))!["standardCost"]!.GetValue<decimal>().ShouldBe(41.2m);
    }

    [Fact]
    public async Task a_malformed_csv_row_is_named_by_its_line_and_nothing_is_stored()
    {
        await PlantBuildsTheHousing();

        var answer = await Api.ReferenceDataCsv("P1",
            "partNumber,standardCost,currency,leadTimeDays\n" +
            "CASTING,41.20,EUR,28\n" +
            "BOLT,cheap,EUR,five\n");

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["line 3.standardCost", "line 3.leadTimeDays"], ignoreOrder: true);
        (await ReferenceDataOf("CASTING")).ShouldBeNull();
    }

    [Fact]
    public async Task reference_data_for_an_unknown_plant_is_not_found() =>
        (await Api.ReferenceData("NOPE", new { items = new[] { new { partNumber = "X" } } })).Status.ShouldBe(404);
}

public sealed class when_an_erp_drops_a_reference_data_file(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task a_good_file_is_loaded_published_and_moved_to_done()
    {
        await Api.Release(Release());
        await Api.ConfigurePlant("P1", Plant());
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
        var plantFolder = Directory.CreateDirectory(Path.Combine(DropFolder, "reference-data", "P1")).FullName;

        await File.WriteAllTextAsync(Path.Combine(plantFolder, "costs.csv"), "partNumber,standardCost,currency\nCASTING,41.20,EUR\n");

        var cost = await Wait.Until(async () =>
            (await Api.Published("P1", "CASTING")).Json["item"]!["referenceData"]?["standardCost"], "the cost to be published");
        cost.GetValue<decimal>().ShouldBe(41.2m);
        File.Exists(Path.Combine(plantFolder, "costs.csv")).ShouldBeFalse();
        Directory.GetFiles(Path.Combine(plantFolder, "done"), "costs.*.csv").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task a_bad_file_is_moved_to_failed_with_its_errors_by_line_and_loads_nothing()
    {
        await Api.Release(Release());
        await Api.ConfigurePlant("P1", Plant());
        await Api.Settled(api => api.Assign("P1", "HOUSING"));
        var plantFolder = Directory.CreateDirectory(Path.Combine(DropFolder, "reference-data", "P1")).FullName;

        await File.WriteAllTextAsync(Path.Combine(plantFolder, "bad.csv"), "partNumber,standardCost\nCASTING,41.20\nBOLT,cheap\n");

        var errors = await Wait.Until(() => Task.FromResult(Directory.Exists(Path.Combine(plantFolder, "failed"))
            ? Directory.GetFiles(Path.Combine(plantFolder, "failed"), "*.errors.json").FirstOrDefault()
            : null), "the file to fail");
        (await File.ReadAllTextAsync(errors)).ShouldContain("line 3.standardCost");
        (await Api.Published("P1", "CASTING")).Json["item"]!["referenceData"].ShouldBeNull();
    }
}
