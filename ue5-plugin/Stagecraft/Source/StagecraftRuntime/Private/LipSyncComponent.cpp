#include "LipSyncComponent.h"

#include "Components/SkeletalMeshComponent.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "Stagecraft/performance.h"
#include "StagecraftSubsystem.h"

namespace
{
const TCHAR* const VisemeNames[stagecraft::kVisemeCount] = {
	TEXT("sil"), TEXT("PP"), TEXT("FF"), TEXT("TH"), TEXT("DD"), TEXT("kk"), TEXT("CH"), TEXT("SS"),
	TEXT("nn"), TEXT("RR"), TEXT("aa"), TEXT("E"), TEXT("ih"), TEXT("oh"), TEXT("ou")};
}

ULipSyncComponent::ULipSyncComponent()
{
	PrimaryComponentTick.bCanEverTick = true;
	for (const TCHAR* Name : VisemeNames)
		VisemeMorphs.Add(FName(Name), FName(*(FString(TEXT("viseme_")) + Name)));
}

void ULipSyncComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	if (!Mesh)
		return;
	UStagecraftSubsystem* Stage = GetWorld()->GetGameInstance()->GetSubsystem<UStagecraftSubsystem>();
	std::shared_ptr<stagecraft::Performance> P = Stage ? Stage->FindPerformance(NpcId) : nullptr;
	std::array<float, stagecraft::kVisemeCount> W{};
	W[0] = 1.f;
	if (P)
		W = P->visemes_at(P->position_ms(UStagecraftSubsystem::NowMs()));
	for (size_t I = 0; I < stagecraft::kVisemeCount; ++I)
		if (const FName* Morph = VisemeMorphs.Find(FName(VisemeNames[I])))
			Mesh->SetMorphTarget(*Morph, W[I], false);
}
