// The editor side of FAnimNode_StagecraftFace: its title, tooltip and menu category.
#pragma once

#include "AnimGraphNode_Base.h"
#include "AnimNode_StagecraftFace.h"
#include "CoreMinimal.h"
#include "AnimGraphNode_StagecraftFace.generated.h"

UCLASS()
class STAGECRAFTEDITOR_API UAnimGraphNode_StagecraftFace : public UAnimGraphNode_Base
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, Category = "Settings")
	FAnimNode_StagecraftFace Node;

	virtual FText GetNodeTitle(ENodeTitleType::Type TitleType) const override;
	virtual FText GetTooltipText() const override;
	virtual FString GetNodeCategory() const override;
};
