using System.Reflection;
using System.Text.RegularExpressions;
using Apportionment.Api.Features;
using Apportionment.Domain;
using NetArchTest.Rules;

namespace Apportionment.Api.Tests.Architecture;

/// <summary>
/// The layout a newcomer can rely on: each folder under Features/ is a slice that uses only the ledger read model
/// (Features/Ledger), Infrastructure and the Domain, never another slice; Infrastructure knows no feature; the Domain
/// knows nothing but .NET itself. Checked on the compiled assemblies, method bodies included.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Features = "Apportionment.Api.Features";
    private const string Ledger = Features + ".Ledger";

    private static readonly Assembly Api = typeof(ApiMap).Assembly;

    /// <summary>Every namespace directly under Features except the ledger: one per slice folder.</summary>
    private static List<string> Slices() =>
        Api.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Features + ".", StringComparison.Ordinal))
            .Select(n => Features + "." + n[(Features.Length + 1)..].Split('.')[0])
            .Where(n => n != Ledger)
            .Distinct().Order(StringComparer.Ordinal).ToList();

    private static PredicateList In(string ns) =>
        Types.InAssembly(Api).That().ResideInNamespaceMatching("^" + Regex.Escape(ns) + @"(\.|$)");

    [Fact]
    public void There_are_slices_to_check()
    {
        Assert.Contains(Features + ".Costs", Slices());
        Assert.Contains(Features + ".Reports", Slices());
    }

    [Fact]
    public void No_slice_depends_on_another_slice()
    {
        var slices = Slices();
        var failures = slices.SelectMany(slice =>
            Failures(
                In(slice).ShouldNot().HaveDependencyOnAny([.. slices.Where(s => s != slice)]).GetResult())).ToList();
        Assert.True(
            failures.Count == 0,
            "A slice uses another slice; move what they share into Features/Ledger:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_ledger_depends_on_no_slice()
    {
        var failures = Failures(In(Ledger).ShouldNot().HaveDependencyOnAny([.. Slices()]).GetResult());
        Assert.True(failures.Count == 0, "Features/Ledger uses a slice:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Infrastructure_depends_on_no_feature()
    {
        var failures = Failures(
            In("Apportionment.Api.Infrastructure").ShouldNot().HaveDependencyOnAny(Features).GetResult());
        Assert.True(failures.Count == 0, "Infrastructure uses a feature:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_domain_depends_on_nothing_but_dotnet()
    {
        var result = Types.InAssembly(typeof(Money).Assembly).Should()
            .OnlyHaveDependencyOn("System", "Apportionment.Domain", "Microsoft.CodeAnalysis").GetResult();
        var failures = Failures(result);
        Assert.True(
            failures.Count == 0,
            "The domain uses something outside .NET's System namespaces:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// A rule that selected no types would pass whatever the code did, so that counts as a failure too.
    /// </summary>
    private static List<string> Failures(TestResult result) =>
        !result.SelectedTypesForTesting.Any() ? ["(the rule selected no types)"]
        : result.IsSuccessful ? []
        : [.. (result.FailingTypes ?? []).Select(t => $"{t.FullName}: {t.Explanation}")];
}
