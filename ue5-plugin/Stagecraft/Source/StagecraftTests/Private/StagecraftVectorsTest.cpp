// Stagecraft.Core.Vectors: every golden frame in the plugin's Resources/Vectors (a copy of
// schemas/vectors) decodes to its JSON and re-encodes to its bytes, built by UnrealBuildTool.
#include "Dom/JsonObject.h"
#include "HAL/FileManager.h"
#include "Interfaces/IPluginManager.h"
#include "Misc/AutomationTest.h"
#include "Misc/FileHelper.h"
#include "Misc/Paths.h"
#include "Modules/ModuleManager.h"
#include "Serialization/JsonReader.h"
#include "Serialization/JsonSerializer.h"
#include "Stagecraft/gen/wire.h"

IMPLEMENT_MODULE(FDefaultModuleImpl, StagecraftTests)

namespace
{
bool SameJson(const TSharedPtr<FJsonValue>& A, const TSharedPtr<FJsonValue>& B)
{
	if (!A || !B || A->Type != B->Type)
		return false;
	switch (A->Type)
	{
	case EJson::Number: return A->AsNumber() == B->AsNumber();
	case EJson::String: return A->AsString() == B->AsString();
	case EJson::Boolean: return A->AsBool() == B->AsBool();
	case EJson::Array:
	{
		const auto& X = A->AsArray();
		const auto& Y = B->AsArray();
		if (X.Num() != Y.Num()) return false;
		for (int32 I = 0; I < X.Num(); ++I)
			if (!SameJson(X[I], Y[I])) return false;
		return true;
	}
	case EJson::Object:
	{
		const auto& X = A->AsObject()->Values;
		const auto& Y = B->AsObject()->Values;
		if (X.Num() != Y.Num()) return false;
		for (const auto& It : X)
			if (!Y.Contains(It.Key) || !SameJson(It.Value, Y[It.Key])) return false;
		return true;
	}
	default: return true;
	}
}

TSharedPtr<FJsonValue> Parse(const FString& Text)
{
	TSharedPtr<FJsonValue> V;
	FJsonSerializer::Deserialize(TJsonReaderFactory<>::Create(Text), V);
	return V;
}
}  // namespace

IMPLEMENT_SIMPLE_AUTOMATION_TEST(FStagecraftVectorsTest, "Stagecraft.Core.Vectors",
	EAutomationTestFlags::EditorContext | EAutomationTestFlags::ClientContext | EAutomationTestFlags::EngineFilter)

bool FStagecraftVectorsTest::RunTest(const FString&)
{
	const FString Dir = IPluginManager::Get().FindPlugin(TEXT("Stagecraft"))->GetBaseDir() / TEXT("Resources/Vectors");
	TArray<FString> Files;
	IFileManager::Get().FindFiles(Files, *(Dir / TEXT("*.json")), true, false);
	TestTrue(TEXT("Resources/Vectors holds the golden vectors (copy schemas/vectors there)"), Files.Num() >= 28);
	for (const FString& File : Files)
	{
		FString Text;
		TArray<uint8> Bin;
		FFileHelper::LoadFileToString(Text, *(Dir / File));
		FFileHelper::LoadFileToArray(Bin, *(Dir / FPaths::GetBaseFilename(File) + TEXT(".bin")));
		const TSharedPtr<FJsonObject> Vector = Parse(Text)->AsObject();
		const TSharedPtr<FJsonObject>* Message;
		if (Bin.Num() < 2 || Bin[0] != 17 || !Vector->TryGetObjectField(TEXT("message"), Message))
			continue;  // handshake, ping and leave frames are covered by the core's own tests
		const bool bServer = Bin[1] == 1;
		stagecraft::pb::DecodeError Error;
		std::string Json;
		std::vector<uint8_t> Again;
		bool bOk;
		if (bServer)
		{
			stagecraft::wire::ServerMessage M;
			bOk = stagecraft::wire::decode(Bin.GetData() + 2, Bin.Num() - 2, M, Error);
			Json = stagecraft::wire::to_json(M);
			stagecraft::wire::encode(M, Again);
		}
		else
		{
			stagecraft::wire::ClientMessage M;
			bOk = stagecraft::wire::decode(Bin.GetData() + 2, Bin.Num() - 2, M, Error);
			Json = stagecraft::wire::to_json(M);
			stagecraft::wire::encode(M, Again);
		}
		TestTrue(File + TEXT(" decodes: ") + UTF8_TO_TCHAR(Error.describe().c_str()), bOk);
		TestTrue(File + TEXT(" matches its JSON"), SameJson(Parse(UTF8_TO_TCHAR(Json.c_str())), MakeShared<FJsonValueObject>(*Message)));
		TestTrue(File + TEXT(" re-encodes to its bytes"),
			Again.size() == size_t(Bin.Num() - 2) && FMemory::Memcmp(Again.data(), Bin.GetData() + 2, Again.size()) == 0);
	}
	return true;
}
