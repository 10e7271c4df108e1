// Visemes → mouth shapes, for rigs without ARKit blendshapes: the 15 OVR visemes at the line's
// audio clock, cross-faded by the core, set as morph targets named in VisemeMorphs.
#pragma once

#include "Components/ActorComponent.h"
#include "CoreMinimal.h"
#include "LipSyncComponent.generated.h"

class USkeletalMeshComponent;

UCLASS(ClassGroup = (Stagecraft), meta = (BlueprintSpawnableComponent))
class STAGECRAFTRUNTIME_API ULipSyncComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	ULipSyncComponent();

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") FString NpcId;
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TObjectPtr<USkeletalMeshComponent> Mesh;
	/** Viseme (sil, PP, FF, TH, DD, kk, CH, SS, nn, RR, aa, E, ih, oh, ou) → morph target. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Stagecraft") TMap<FName, FName> VisemeMorphs;

	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;
};
