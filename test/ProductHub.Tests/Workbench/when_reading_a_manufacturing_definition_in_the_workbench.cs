using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProductHub.Tests.Workbench;

/// <summary>The part explorer's routing, documents and where-used panels, and the documents page, on the demo pump.</summary>
public sealed partial class when_working_in_the_workbench
{
    [Fact]
    public async Task a_revisions_routing_is_marked_with_what_it_changed_and_a_plant_shows_its_own_work_centers()
    {
        var page = await hub.OpenAsync("/ui/parts?part=PN-1000");
        var summary = page.Locator("[data-routing-summary]");

        // Rev B only gave assembly a new work instruction: operation 10 is the one changed, and the document rows say so.
        await Expect(summary).ToContainTextAsync("3 operations; compared with rev A, the revision released before: 1 operation differs");
        var assembly = page.Locator("table.routing tr[data-operation='10']");
        await Expect(assembly).ToHaveClassAsync("diff-changed");
        await Expect(assembly).ToContainTextAsync("changed: documents");
        await Expect(assembly.GetByRole(AriaRole.Link, new() { Name = "WI-1000 B" })).ToBeVisibleAsync();
        await Expect(page.Locator("table.routing tr[data-operation='20']")).Not.ToHaveClassAsync("diff-changed");
        await Expect(page.Locator("tr[data-document='WI-1000/B']")).ToContainTextAsync("added since rev A");
        await Expect(page.Locator("tr[data-document='WI-1000/A']")).ToHaveClassAsync("diff-removed");
        await Expect(page.Locator("tr[data-document='DRW-1000/A']")).ToContainTextAsync("the part");

        // P100's routing: each operation at the work center the routing endpoint names for the plant, beside the canonical one.
        await page.GetByLabel("Plant").SelectOptionAsync(new SelectOptionValue { Label = "P100 MBOM" });
        await Expect(summary).ToContainTextAsync("Plant P100: 3 operations");
        var routing = await hub.GetAsync("/api/v1/plants/P100/parts/PN-1000/routing");
        foreach (var operation in routing["operations"]!.AsArray())
        {
            var row = page.Locator($"table.routing tr[data-operation='{operation!["operationNumber"]}']");
            await Expect(row).ToContainTextAsync($"{operation["workCenter"]} ({operation["canonicalWorkCenter"]})");
        }
        await Expect(page.Locator("table.routing tr[data-operation='30']")).ToContainTextAsync("P100-QA-1 (WC-TEST)");
        await WorkbenchHub.ScreenshotAsync(page, "part-routing");
    }

    [Fact]
    public async Task a_plant_that_buys_a_part_shows_no_routing_for_it()
    {
        var page = await hub.OpenAsync("/ui/parts?part=PN-1100");
        await Expect(page.Locator("table.routing tbody tr")).ToHaveCountAsync(2);
        await page.GetByLabel("Plant").SelectOptionAsync(new SelectOptionValue { Label = "P200 MBOM" });
        await Expect(page.Locator("[data-routing-summary]")).ToContainTextAsync("Plant P200: no operations (the plant buys this part");
        await Expect(page.Locator("table.routing")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task where_used_leads_from_a_component_to_its_parent()
    {
        var page = await hub.OpenAsync("/ui/parts?part=PN-1100");
        var whereUsed = page.Locator("section[aria-labelledby='where-used-heading']");
        await Expect(whereUsed.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(whereUsed).ToContainTextAsync("Centrifugal pump assembly");

        await whereUsed.GetByRole(AriaRole.Link, new() { Name = "PN-1000", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PN-1000 — Centrifugal pump assembly" })).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby='where-used-heading']")).ToContainTextAsync("No parent uses PN-1000");
    }

    [Fact]
    public async Task a_document_shows_each_revision_with_its_file_and_the_part_revisions_using_it()
    {
        var page = await hub.OpenAsync("/ui/parts?part=PN-1000");
        await page.Locator("tr[data-document='WI-1000/B']").GetByRole(AriaRole.Link, new() { Name = "WI-1000", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Documents", Exact = true })).ToBeVisibleAsync();

        var answer = await hub.GetAsync("/api/v1/documents/WI-1000");
        foreach (var revision in answer["revisions"]!.AsArray())
        {
            var section = page.Locator($"section[data-revision='{revision!["revision"]}']");
            await Expect(section).ToContainTextAsync(revision["sha256"]!.GetValue<string>());
            await Expect(section.GetByRole(AriaRole.Link, new() { Name = revision["uri"]!.GetValue<string>() })).ToBeVisibleAsync();
            foreach (var use in revision["whereUsed"]!.AsArray())
                await Expect(section).ToContainTextAsync($"{use!["partNumber"]} rev {use["revision"]}, operation {use["operationNumber"]}");
        }
        await Expect(page.Locator("section[data-revision]")).ToHaveCountAsync(2);
        await WorkbenchHub.ScreenshotAsync(page, "documents");

        await page.Locator("section[data-revision='A']").GetByRole(AriaRole.Link, new() { Name = "PN-1000", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PN-1000 — Centrifugal pump assembly" })).ToBeVisibleAsync();
    }
}
