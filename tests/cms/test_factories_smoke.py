from cms.selectors import lessons_live
from tests.factories import LearningPathPageFactory, LessonPageFactory, ProductFeatureFactory


def test_lesson_and_path_factories_make_live_pages(workspace):
    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    first = LessonPageFactory(workspace=workspace, features=[feature])
    second = LessonPageFactory(workspace=workspace, prerequisites=[first])
    path = LearningPathPageFactory(workspace=workspace, lessons=[first, second])

    assert set(lessons_live(workspace=workspace)) == {first, second}
    assert second.prerequisite_ids == [first.pk]
    assert path.lesson_ids == [first.pk, second.pk]
    assert list(first.features.values_list("key", flat=True)) == ["invoices"]
