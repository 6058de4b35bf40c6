using Xunit.Abstractions;
using Xunit.Sdk;

namespace Hotspots.Tests.Cluster;

/// <summary>Runs a class's tests in the order their <see cref="WrittenOrderAttribute"/> gives (the cluster's tests change it in turn).</summary>
public sealed class WrittenOrder : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(c => c.TestMethod.Method.GetCustomAttributes(typeof(WrittenOrderAttribute).AssemblyQualifiedName)
            .Select(a => (int)a.GetConstructorArguments().First()).FirstOrDefault());
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class WrittenOrderAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}
