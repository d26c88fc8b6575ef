from django import forms

from galtea_admin.preferences.models import Appearance, SavedView


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ("name", "shared", "query")
        labels = {"name": "Name", "shared": "Share with the team"}
        widgets = {
            "query": forms.HiddenInput,
            "name": forms.TextInput(attrs={"placeholder": "e.g. EMEA support lines"}),
        }

    def __init__(self, *args, owner, list_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.instance.list_name = list_name
        self.fields["query"].required = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SavedView.objects.filter(
            owner=self.instance.owner, list_name=self.instance.list_name, name=name
        )
        if taken.exists():
            raise forms.ValidationError("You already have a saved view with this name.")
        return name


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(
        choices=Appearance.Theme.choices,
        error_messages={
            "required": "Choose a theme: System, Light or Dark.",
            "invalid_choice": "There is no such theme: choose System, Light or Dark.",
        },
    )
